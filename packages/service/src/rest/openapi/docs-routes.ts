import { existsSync } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';

// In the image the service runs bundled, with Swagger UI's files in `static/` beside it.
const bundledAssets = fileURLToPath(new URL('static', import.meta.url));

// What a Swagger UI answer may carry on; the rest (length, connection, date) is this server's.
const PASSED_ON_HEADERS = ['content-type', 'cache-control', 'etag', 'last-modified', 'location', 'vary'] as const;
// What a browser's request may ask of a static file.
const PASSED_IN_HEADERS = ['accept', 'accept-encoding', 'if-none-match', 'if-modified-since'] as const;

const pick = (headers: OutgoingHttpHeaders, names: readonly string[]) =>
  Object.fromEntries(names.flatMap((name) => (headers[name] === undefined ? [] : [[name, headers[name]]])));

/**
 * Swagger UI's page and assets, in an app of its own that reads this app's OpenAPI document.
 * @fastify/swagger-ui needs @fastify/swagger by name; this is that plugin, pointing at the host's.
 */
async function buildDocsApp(host: FastifyInstance): Promise<FastifyInstance> {
  const { default: swaggerUi } = await import('@fastify/swagger-ui');
  const document = await host.openapi();
  const docs = Fastify();
  await docs.register(
    fp(
      async (scope) => {
        scope.decorate('swagger', document);
      },
      { name: '@fastify/swagger' },
    ),
  );
  await docs.register(swaggerUi, {
    routePrefix: '/docs',
    ...(existsSync(bundledAssets) && { baseDir: bundledAssets }),
  });
  await docs.ready();
  return docs;
}

/**
 * GET /docs/ and its assets. Swagger UI and its static-file server are a fifth of the bundle and
 * a tenth of its start-up (docs/benchmarks.md), and only a browser ever asks for them: they are
 * loaded when /docs is first asked for, and their answers passed on with this app's headers.
 */
export const docsRoutes: FastifyPluginAsync = async (app) => {
  let docs: Promise<FastifyInstance> | undefined;
  const passOn: RouteHandlerMethod = async (request, reply) => {
    docs ??= buildDocsApp(app);
    const answer = await (await docs).inject({
      method: request.method as 'GET' | 'HEAD',
      url: request.url,
      headers: pick(request.headers, PASSED_IN_HEADERS),
    });
    // A path Swagger UI does not have gets this app's 404, problem JSON like every other.
    if (answer.statusCode === 404) return reply.callNotFound();
    return reply.code(answer.statusCode).headers(pick(answer.headers, PASSED_ON_HEADERS)).send(answer.rawPayload);
  };
  app.addHook('onClose', async () => {
    await (await docs)?.close();
  });
  const hidden = { schema: { hide: true } };
  app.get('/docs/', hidden, passOn);
  app.get('/docs/*', hidden, passOn);
};
