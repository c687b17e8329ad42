import type { FastifyReply, FastifyRequest, onRequestHookHandler, onSendHookHandler } from 'fastify';
import type { CorsOrigins } from '../plugins/cors-preflight.js';

/** What a step may depend on: settings known when the app is built. */
export interface StepOptions {
  readonly corsOrigins: CorsOrigins;
}

/**
 * Work done on every answer, in one of the service's two synchronous hooks: headers that are
 * the same on every answer (set together in one call), work as the request arrives, and work as
 * the answer is sent (which may replace the payload by returning a new one). A file in this
 * folder default-exports a `(options) => Step`; steps/index.ts lists them in order.
 */
export interface Step {
  readonly headers?: Readonly<Record<string, string>>;
  readonly onRequest?: (request: FastifyRequest, reply: FastifyReply) => void;
  readonly onSend?: (request: FastifyRequest, reply: FastifyReply, payload: unknown) => unknown;
}

export type StepFactory = (options: StepOptions) => Step;

type RequestWork = NonNullable<Step['onRequest']>;

/**
 * What runs as a request arrives, in the steps' order, with the fixed headers of neighbouring
 * steps merged once, at start-up, into one call (answers keep their header order).
 */
function requestWork(steps: readonly Step[]): RequestWork[] {
  const work: (RequestWork | Record<string, string>)[] = [];
  for (const step of steps) {
    const last = work.at(-1);
    if (step.headers && last !== undefined && typeof last !== 'function') Object.assign(last, step.headers);
    else if (step.headers) work.push({ ...step.headers });
    if (step.onRequest) work.push(step.onRequest);
  }
  return work.map((item) =>
    typeof item === 'function'
      ? item
      : (_request: FastifyRequest, reply: FastifyReply) => {
          reply.headers(item);
        },
  );
}

/**
 * The steps as one synchronous hook each way, not as a chain of async hooks: every async hook
 * costs a promise and a trip through the microtask queue per request (docs/benchmarks.md measures
 * what this bought). A step that throws fails the request through the error handler, as an async
 * hook's rejection would.
 */
export function stepHooks(steps: readonly Step[]): { onRequest: onRequestHookHandler; onSend: onSendHookHandler } {
  const onRequest = requestWork(steps);
  const onSend = steps.flatMap((step) => (step.onSend ? [step.onSend] : []));
  return {
    onRequest: (request, reply, done) => {
      for (const work of onRequest) work(request, reply);
      done();
    },
    onSend: (request, reply, payload, done) => {
      let sent: unknown = payload;
      for (const step of onSend) sent = step(request, reply, sent);
      done(null, sent);
    },
  };
}
