import cors from '@fastify/cors';
import type { FastifyPluginAsync } from 'fastify';
import type { RequestStep } from '../request-steps.js';
import type { RouteTable } from './route-table.js';

/** The tutorial opened CORS to every origin; operators may narrow it with CORS_ORIGINS. */
export type CorsOrigins = '*' | readonly string[];

const EXPOSED_HEADERS = 'X-Request-Id';

/**
 * The CORS headers of an ordinary answer, as @fastify/cors would set them: fixed ones, set with
 * the other fixed headers in one step, and for a list of origins a step that grants a listed
 * Origin and says `Vary: Origin` on every answer. A differential test holds this to the library.
 */
export function corsHeaders(origins: CorsOrigins): {
  readonly fixed: Readonly<Record<string, string>>;
  readonly perRequest: readonly RequestStep[];
} {
  if (origins === '*') {
    return {
      fixed: { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED_HEADERS },
      perRequest: [],
    };
  }
  const listed = new Set(origins);
  const grantListedOrigin: RequestStep = (request, reply) => {
    reply.header('vary', 'Origin');
    const { origin } = request.headers;
    if (origin !== undefined && listed.has(origin)) reply.header('access-control-allow-origin', origin);
  };
  return { fixed: { 'access-control-expose-headers': EXPOSED_HEADERS }, perRequest: [grantListedOrigin] };
}

/** Headers a browser may send on any cross-origin request to the service: a body's type, a bearer token. */
const ALWAYS_ALLOWED_HEADERS = ['Content-Type', 'Authorization'];

/**
 * Preflight requests, answered by @fastify/cors in a scope of their own: its hook then runs for
 * `OPTIONS *` only, and every other answer gets its CORS headers from corsHeaders. Each preflight
 * allows the methods its path really has and the headers its routes declare, from the route table.
 */
export const corsPreflight: FastifyPluginAsync<{ origins: CorsOrigins; routeTable: RouteTable }> = async (
  app,
  { origins, routeTable },
) => {
  const origin = origins === '*' ? '*' : [...origins];
  await app.register(cors, {
    delegator: (request, callback) => {
      const [path = ''] = request.url.split('?', 1);
      const entry = routeTable.at(path);
      callback(null, {
        origin,
        methods: entry ? [...entry.methods].sort() : [],
        allowedHeaders: [...ALWAYS_ALLOWED_HEADERS, ...(entry?.headers ?? [])],
        exposedHeaders: [EXPOSED_HEADERS],
        // A bare OPTIONS (no Origin or Access-Control-Request-Method) gets the same 204, rather
        // than a plain-text 400 outside our problem-JSON errors (found by the property tests).
        strictPreflight: false,
      });
    },
  });
};
