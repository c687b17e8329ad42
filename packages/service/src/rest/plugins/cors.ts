import cors from '@fastify/cors';
import type { FastifyPluginAsync } from 'fastify';
import type { RequestStep } from '../request-steps.js';

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

/**
 * Preflight requests, answered by @fastify/cors in a scope of their own: its hook then runs for
 * `OPTIONS *` only, and every other answer gets its CORS headers from corsHeaders.
 */
export const corsPreflight: FastifyPluginAsync<{ origins: CorsOrigins }> = async (app, { origins }) => {
  await app.register(cors, {
    origin: origins === '*' ? '*' : [...origins],
    methods: ['GET', 'HEAD'],
    allowedHeaders: ['Content-Type'],
    exposedHeaders: [EXPOSED_HEADERS],
    // A bare OPTIONS (no Origin or Access-Control-Request-Method) gets the same 204, rather
    // than a plain-text 400 outside our problem-JSON errors (found by the property tests).
    strictPreflight: false,
  });
};
