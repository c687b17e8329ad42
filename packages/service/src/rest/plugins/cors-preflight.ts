import cors from '@fastify/cors';
import fp from 'fastify-plugin';

/** The tutorial opened CORS to every origin; operators may narrow it with CORS_ORIGINS. */
export type CorsOrigins = '*' | readonly string[];

/** Response headers a browser lets a page read. */
export const EXPOSED_HEADERS = 'X-Request-Id';

/** Headers a browser may send on any cross-origin request to the service: a body's type, a bearer token. */
const ALWAYS_ALLOWED_HEADERS = ['Content-Type', 'Authorization'];

/**
 * Preflight requests, answered by @fastify/cors in a scope of their own: its hook then runs for
 * `OPTIONS *` only, and every other answer gets its CORS headers from steps/cors-headers.ts. Each
 * preflight allows the methods its path really has and the headers its routes declare, from the
 * route table (plugins/route-table.ts, registered before).
 */
const corsPreflight = fp<{ origins: CorsOrigins }>(async (app, { origins }) => {
  const origin = origins === '*' ? '*' : [...origins];
  const { routeTable } = app;
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
});

export default corsPreflight;
