import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import fp from 'fastify-plugin';

const REQUEST_ID_HEADER = 'x-request-id';
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's request id when it is safe to log and echo; otherwise makes one. */
export function requestIdOf(request: IncomingMessage): string {
  const offered = request.headers[REQUEST_ID_HEADER];
  return typeof offered === 'string' && WELL_FORMED_REQUEST_ID.test(offered) ? offered : randomUUID();
}

/** Echoes the request id on every response, so a caller can quote it against the logs. */
export const requestIdPlugin = fp(async (app) => {
  app.addHook('onRequest', async (request, reply) => echoRequestId(request, reply));
});

export function echoRequestId(request: FastifyRequest, reply: FastifyReply): void {
  reply.header(REQUEST_ID_HEADER, request.id);
}

/**
 * Replaces Fastify's two lines per request with one access-log line, written when the
 * response is done (ACCESS_LOG=on) or not at all. The request id comes from the child logger.
 */
export class AccessLog extends LogController {
  readonly #enabled: boolean;

  constructor(enabled: boolean) {
    super();
    this.#enabled = enabled;
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (!this.#enabled) return;
    const line = {
      method: request.method,
      path: request.url,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
    };
    if (error) request.log.error({ ...line, err: error }, 'request completed');
    else request.log.info(line, 'request completed');
  }
}
