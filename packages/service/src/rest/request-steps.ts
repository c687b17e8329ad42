import type { FastifyReply, FastifyRequest, onRequestHookHandler, onSendHookHandler } from 'fastify';

/** Work done on every request before routing's handlers run: headers set on the reply, mostly. */
export type RequestStep = (request: FastifyRequest, reply: FastifyReply) => void;

/** Work done on every answer as it is sent: may replace the payload by returning a new one. */
export type SendStep = (request: FastifyRequest, reply: FastifyReply, payload: unknown) => unknown;

/**
 * The cross-cutting steps run as one synchronous hook each, not as a chain of async hooks:
 * every async hook costs a promise and a trip through the microtask queue per request
 * (docs/benchmarks.md measures what this bought). A step that throws fails the request
 * through the error handler, as an async hook's rejection would.
 */
export function onRequestSteps(steps: readonly RequestStep[]): onRequestHookHandler {
  return (request, reply, done) => {
    for (const step of steps) step(request, reply);
    done();
  };
}

export function onSendSteps(steps: readonly SendStep[]): onSendHookHandler {
  return (request, reply, payload, done) => {
    let sent: unknown = payload;
    for (const step of steps) sent = step(request, reply, sent);
    done(null, sent);
  };
}

/** Sets headers that are the same on every answer, computed once at start-up. */
export function fixedHeaders(headers: Readonly<Record<string, string>>): RequestStep {
  return (_request, reply) => {
    reply.headers(headers);
  };
}
