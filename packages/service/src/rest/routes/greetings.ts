import { textResponses } from '@simple-rest/module-contract';
import type { FastifyPluginAsync } from 'fastify';
import { sayHallo } from '../../core/hallo.js';

/**
 * A name of 1 to 100 characters: the service's own rule, the same bound as the blueprint's
 * greeting (the host imports no module's code; the e2e tests hold both to 100).
 */
const nameParams = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
  required: ['name'],
} as const;

/** The service's own greetings at the root, as in the tutorial's RootREST. */
export const greetingRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { summary: 'Greet anyone', response: textResponses('`Hallo from CORE!`') } }, async () =>
    sayHallo(),
  );
  app.get<{ Params: { name: string } }>(
    '/:name/',
    {
      schema: {
        summary: 'Greet someone by name',
        params: nameParams,
        response: textResponses('`Hallo <name> from CORE!`'),
      },
    },
    async (request) => sayHallo(request.params.name),
  );
};
