import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

// An API serves no pages but /docs, so the CSP allows only same-origin resources;
// resources may be read cross-origin because CORS lets any origin read our answers.
const helmetOptions = {
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  crossOriginEmbedderPolicy: false,
} as const;

/**
 * The headers helmet sets for these options. They use no per-request input (no CSP nonces),
 * so helmet computes them once here instead of running its middleware on every request
 * (docs/benchmarks.md, "Throughput: what stands in the way", says what that bought).
 */
const securityHeaders: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(helmetOptions)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
})();

export function applySecurityHeaders(reply: FastifyReply): void {
  reply.headers(securityHeaders);
}

/** Security headers suited to an API, on every response that goes through the hooks. */
export const securityHeadersPlugin = fp(async (app) => {
  app.addHook('onRequest', async (_request, reply) => applySecurityHeaders(reply));
});
