import { nameParams } from '@simple-rest/blueprint';
import { textResponses } from '@simple-rest/module-contract';
import type { FastifyPluginAsync } from 'fastify';
import { sayHallo } from '../../core/hallo.js';

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
