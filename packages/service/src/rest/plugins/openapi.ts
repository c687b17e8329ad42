import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { serviceInfo } from '../../info.js';
import type { MountedModule } from '../../modules.js';

// In the image the service runs bundled, with Swagger UI's files in `static/` beside it.
const bundledAssets = fileURLToPath(new URL('static', import.meta.url));

/** OpenAPI 3.1 generated from route schemas at /openapi.json, and Swagger UI at /docs. */
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
  await app.register(swaggerUi, { routePrefix: '/docs', ...(existsSync(bundledAssets) && { baseDir: bundledAssets }) });
  app.get('/openapi.json', { schema: { summary: 'This OpenAPI document', tags: ['operations'] } }, async () =>
    app.swagger(),
  );
});
