import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';
import { serviceInfo } from '../../info.js';
import type { MountedModule } from '../../modules.js';

/** OpenAPI 3.1 generated from the schemas of the routes registered after it; served by the operations routes. */
export const openapiPlugin = fp<{ modules: readonly MountedModule[] }>(async (app, { modules }) => {
  const moduleTags = new Map(modules.map(({ module }) => [module.openapi.tag, module.openapi.description]));
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: serviceInfo.name,
        version: serviceInfo.version,
        description: 'Greetings from the service core and from the modules it mounts.',
      },
      tags: [
        { name: 'greetings', description: "The service's own greetings" },
        { name: 'operations', description: 'Health, readiness, version and metrics' },
        ...[...moduleTags].map(([name, description]) => ({ name, description })),
      ],
    },
  });
});
