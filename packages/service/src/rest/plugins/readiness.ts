import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set `draining` when shutdown begins: /readyz then answers 503. */
    readiness: { draining: boolean };
  }
}

/**
 * Readiness state. While draining, every response says `Connection: close`, so clients
 * reconnect elsewhere and a connection whose request finishes during shutdown ends
 * with it instead of idling until the client's keep-alive timeout.
 */
export const readinessPlugin = fp(async (app) => {
  app.decorate('readiness', { draining: false });
  app.addHook('onSend', async (_request, reply) => {
    if (app.readiness.draining) reply.header('connection', 'close');
  });
});
