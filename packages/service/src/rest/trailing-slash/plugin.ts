import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isPrefixRoot } from '../route-table/plugin.js';

/**
 * Flask's canonical trailing slash for a module's root: Fastify registers a route at a prefix's
 * root as both `/x` and `/x/`, so this hook makes `/x` redirect with 308 to `/x/`, for every
 * method. Every other slash-less path matches no route, and the not-found handler redirects it
 * from the route table (answerUnrouted in errors/plugin.ts).
 */
const trailingSlash = fp(
  async (app) => {
    app.addHook('onRoute', (route) => {
      if (isPrefixRoot(route)) {
        // One options object serves both routes: the hook redirects `/x` and lets `/x/` through.
        route.onRequest = [redirectIfSlashless, ...[route.onRequest ?? []].flat()];
      }
    });
  },
  // After authentication: both put a hook first on a route, and the redirect, which tells
  // nothing, must run before the token check, so it is put first last.
  { name: 'simple-rest-trailing-slash', dependencies: ['simple-rest-authentication'] },
);

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

export default trailingSlash;
