import { nameParams, textResponses } from '@simple-rest/module-contract';
import type { FastifyPluginAsync } from 'fastify';
import { sayHallo } from '../core/hallo.js';

/** The blueprint's routes, relative to whatever prefix the host mounts them at. */
export const blueprintRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { summary: 'Greet anyone', response: textResponses('`Hallo!`') } }, async () => sayHallo());
  app.get<{ Params: { name: string } }>(
    '/:name/',
    { schema: { summary: 'Greet someone by name', params: nameParams, response: textResponses('`Hallo <name>!`') } },
    async (request) => sayHallo(request.params.name),
  );
};
