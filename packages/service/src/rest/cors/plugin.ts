import cors from '@fastify/cors';
import type { onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';

import type { Settings } from '../../config/index.js';

/** The tutorial opened CORS to every origin; operators may narrow it with CORS_ORIGINS. */
export type CorsOrigins = Settings['corsOrigins'];

/** Response headers a browser lets a page read on every answer. */
export const EXPOSED_HEADERS = 'X-Request-Id';

type ResponseSchemas = Readonly<Record<string, { readonly headers?: Readonly<Record<string, unknown>> }>>;

/**
 * The headers a route documents in its answers (`response[status].headers`, a map of names or an
 * object schema's properties), such as the notes' ETag or a 201's Location: a browser may read
 * them too. Empty for most routes, which then cost nothing.
 */
export function documentedResponseHeaders(response: unknown): string[] {
  const names = Object.values((response ?? {}) as ResponseSchemas).flatMap(({ headers = {} }) =>
    Object.keys('properties' in headers ? (headers.properties as Record<string, unknown>) : headers),
  );
  return [...new Set(names)];
}

/** Headers a browser may send on any cross-origin request to the service: a body's type, a bearer token. */
const ALWAYS_ALLOWED_HEADERS = ['Content-Type', 'Authorization'];

/**
 * Preflight requests, answered by @fastify/cors in a scope of their own: its hook then runs for
 * `OPTIONS *` only, and every other answer gets its CORS headers from the step (step.ts). Each
 * preflight allows the methods its path really has and the headers its routes declare, from the
 * route table (route-table/, registered before).
 */
const corsPreflight = fp<{ corsOrigins: CorsOrigins }>(
  async (app, { corsOrigins }) => {
    const origin = corsOrigins === '*' ? '*' : [...corsOrigins];
    const { routeTable } = app;
    // A route that documents headers in its answers exposes them as well: its own hook replaces
    // the header every answer gets (step.ts), after it.
    app.addHook('onRoute', (route) => {
      const documented = documentedResponseHeaders(route.schema?.response);
      if (documented.length === 0) return;
      const exposed = [EXPOSED_HEADERS, ...documented].join(', ');
      const expose: onRequestHookHandler = (_request, reply, done) => {
        reply.header('access-control-expose-headers', exposed);
        done();
      };
      route.onRequest = [expose, ...[route.onRequest ?? []].flat()];
    });
    await app.register(async (scope) => {
      await scope.register(cors, {
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
    });
  },
  { name: 'simple-rest-cors-preflight', dependencies: ['simple-rest-route-table'] },
);

export default corsPreflight;
