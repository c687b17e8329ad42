import fastifyHelmet from '@fastify/helmet';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

// An API serves no pages but /docs, so the CSP allows only same-origin resources;
// resources may be read cross-origin because CORS lets any origin read our answers.
const helmetOptions = {
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  crossOriginEmbedderPolicy: false,
} as const;

export const helmetPlugin = fp(async (app) => {
  await app.register(fastifyHelmet, helmetOptions);
});

const setHelmetHeaders = helmet(helmetOptions);

/** The same headers for answers Fastify gives before any hook runs (an undecodable URL). */
export function applySecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  setHelmetHeaders(request.raw, reply.raw, () => undefined);
}
