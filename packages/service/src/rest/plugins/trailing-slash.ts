import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay from 'find-my-way';
import { sendProblem } from '../problem.js';

const noop = () => undefined;

/**
 * Flask's canonical trailing slash: a GET route `/x/:name/` also answers `/x/:name` with
 * 308 to the slashed path, and a module mounted at `/x` answers `/x` with 308 to `/x/`.
 * It watches every route, the modules' included, so each module gets the behaviour
 * whatever its prefix. It is also the 404 handler, which is where redirects are found.
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

  app.setNotFoundHandler((request, reply) => {
    const [path = ''] = request.url.split('?', 1);
    const isRedirectable = request.method === 'GET' || request.method === 'HEAD';
    if (isRedirectable && !path.endsWith('/') && slashless.find('GET', path) !== null) {
      return redirectToSlashed(request, reply);
    }
    request.log.info({ method: request.method, url: request.url }, 'no route');
    return sendProblem(reply, 404, 'No route matches this method and path');
  });
});

async function redirectIfSlashless(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const [path = ''] = request.url.split('?', 1);
  if (!path.endsWith('/')) await redirectToSlashed(request, reply);
}

async function redirectToSlashed(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
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
