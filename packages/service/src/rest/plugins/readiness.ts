import fp from 'fastify-plugin';
import type { SendStep } from '../request-steps.js';

/** Set `draining` when shutdown begins: /readyz then answers 503. */
export interface Readiness {
  draining: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}

/** Readiness state, shared by /readyz, shutdown and closeWhenDraining. */
export const readinessPlugin = fp(async (app) => {
  app.decorate('readiness', { draining: false });
});

/**
 * While draining, every response says `Connection: close`, so clients reconnect elsewhere and a
 * connection whose request finishes during shutdown ends with it instead of idling until the
 * client's keep-alive timeout. Decided as the answer is sent: draining may begin mid-request.
 */
export function closeWhenDraining(readiness: Readiness): SendStep {
  return (_request, reply, payload) => {
    if (readiness.draining) reply.header('connection', 'close');
    return payload;
  };
}
