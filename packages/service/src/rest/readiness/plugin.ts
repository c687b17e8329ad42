import fp from 'fastify-plugin';

/** Set `draining` when shutdown begins: /readyz then answers 503. */
export interface Readiness {
  draining: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}

/** Readiness state, shared by /readyz, shutdown and the step that closes connections while draining (step.ts). */
const readiness = fp(
  async (app) => {
    app.decorate('readiness', { draining: false });
  },
  { name: 'simple-rest-readiness' },
);

export default readiness;
