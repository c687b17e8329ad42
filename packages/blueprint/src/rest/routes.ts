import { textResponses } from '@simple-rest/module-contract';
import type { FastifyPluginAsync } from 'fastify';
import { sayHallo } from '../core/hallo.js';

/** Params schema of a `/:name/` greeting route: at most 100 characters, so every greeting bounds names alike. */
export const nameParams = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
  required: ['name'],
} as const;

/** The blueprint's routes, relative to whatever prefix the host mounts them at. */
export const blueprintRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { summary: 'Greet anyone', response: textResponses('`Hallo!`') } }, async () => sayHallo());
  app.get<{ Params: { name: string } }>(
    '/:name/',
    { schema: { summary: 'Greet someone by name', params: nameParams, response: textResponses('`Hallo <name>!`') } },
    async (request) => sayHallo(request.params.name),
  );
};
