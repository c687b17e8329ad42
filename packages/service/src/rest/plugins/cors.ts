import cors from '@fastify/cors';
import fp from 'fastify-plugin';

/** The tutorial opened CORS to every origin; operators may narrow it with CORS_ORIGINS. */
export const corsPlugin = fp<{ origins: string }>(async (app, { origins }) => {
  await app.register(cors, {
    origin: origins === '*' ? '*' : origins.split(','),
    methods: ['GET', 'HEAD'],
    allowedHeaders: ['Content-Type'],
    exposedHeaders: ['X-Request-Id'],
  });
});
