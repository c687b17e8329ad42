import cors from '@fastify/cors';
import fp from 'fastify-plugin';

/** The tutorial opened CORS to every origin; operators may narrow it with CORS_ORIGINS. */
export const corsPlugin = fp<{ origins: '*' | readonly string[] }>(async (app, { origins }) => {
  await app.register(cors, {
    origin: origins === '*' ? '*' : [...origins],
    methods: ['GET', 'HEAD'],
    allowedHeaders: ['Content-Type'],
    exposedHeaders: ['X-Request-Id'],
    // A bare OPTIONS (no Origin or Access-Control-Request-Method) gets the same 204, rather
    // than a plain-text 400 outside our problem-JSON errors (found by the property tests).
    strictPreflight: false,
  });
});
