import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay from 'find-my-way';

const noop = () => undefined;

declare module 'fastify' {
  interface FastifyInstance {
    /** True for a GET or HEAD of `/x` when `/x/` is a GET route: the request redirects there. */
    hasSlashedRoute(request: FastifyRequest): boolean;
  }
}

/**
 * Flask's canonical trailing slash: a GET route `/x/:name/` also answers `/x/:name` with
 * 308 to the slashed path, and a module mounted at `/x` answers `/x` with 308 to `/x/`.
 * It watches every route, the modules' included, so each module gets the behaviour
 * whatever its prefix. `/x` matches no route, so the 404 handler asks hasSlashedRoute.
 */
export const trailingSlashPlugin = fp(async (app) => {
  const slashless = FindMyWay();
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!methods.includes('GET') && !methods.includes('HEAD')) return;
    if (route.prefix !== '' && route.routePath === '') {
      // Fastify registers a prefixed root as both `/x` and `/x/` from these same options,
      // so one hook serves both: it redirects `/x` and lets `/x/` through.
      route.onRequest = [redirectIfSlashless, ...[route.onRequest ?? []].flat()];
    } else if (route.url.length > 1 && route.url.endsWith('/') && methods.includes('GET')) {
      slashless.on('GET', route.url.slice(0, -1), noop);
    }
  });
  app.decorate('hasSlashedRoute', (request: FastifyRequest) => {
    const [path = ''] = request.url.split('?', 1);
    const isRedirectable = request.method === 'GET' || request.method === 'HEAD';
    return isRedirectable && !path.endsWith('/') && slashless.find('GET', path) !== null;
  });
});

async function redirectIfSlashless(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const [path = ''] = request.url.split('?', 1);
  if (!path.endsWith('/')) await redirectToSlashed(request, reply);
}

export async function redirectToSlashed(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const queryAt = request.url.indexOf('?');
  const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : request.url.slice(queryAt);
  // Collapse leading slashes so the target can never become a protocol-relative URL.
  const target = `/${path.replace(/^\/+/, '')}/${query}`;
  return reply.code(308).header('location', percentEncodeUnsafe(target)).send();
}

/** Keeps what RFC 3986 allows in a path and query (escapes included) and encodes the rest, so no input can break the header. */
function percentEncodeUnsafe(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu, (char) =>
    [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}
