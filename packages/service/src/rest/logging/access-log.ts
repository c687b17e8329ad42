import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { ServerOption } from '../concern.js';
import { redactedUrl } from './redact.js';

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
      path: redactedUrl(request.url),
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
    };
    if (error) request.log.error({ ...line, err: error }, 'request completed');
    else request.log.info(line, 'request completed');
  }
}

/** One access-log line per request, or none (ACCESS_LOG). */
const accessLog: ServerOption = ({ accessLog: enabled }) => ({ logController: new AccessLog(enabled) });

export default accessLog;
