import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

// An API serves no pages but /docs, so the CSP allows only same-origin resources;
// cross-origin isolation headers are off because any origin may read our answers (CORS).
export const helmetPlugin = fp(async (app) => {
  await app.register(helmet, {
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
});
