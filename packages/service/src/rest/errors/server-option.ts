import { randomUUID } from 'node:crypto';
import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ServerOption } from '../concern.js';
import { stepHooks } from '../steps.js';
import { answerError } from './plugin.js';

/** What a client error's status says, by the code Node gives it. */
const CLIENT_ERRORS: Readonly<Record<string, readonly [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'The request head is larger than 16 KB'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request did not arrive in time'],
};
const UNREADABLE: readonly [number, string] = [400, 'The request could not be read as HTTP/1.1'];

/**
 * Errors before routing, answered like every other error. Fastify's (an undecodable URL, say)
 * run no hook, so they get every answer's headers here, then the same problem JSON as every
 * other error (plugin.ts). Node's own (a request its parser refuses: an unknown method,
 * a byte not allowed in the path, Content-Length with Transfer-Encoding, a head over 16 KB, a
 * body that does not arrive in time) have no request to run steps on: they get the fixed
 * headers of every answer, a new request id, the problem JSON and a log line, on a closing socket.
 */
const frameworkErrors: ServerOption = ({ steps }) => {
  const { onRequest } = stepHooks(steps);
  // The headers that do not depend on a request; the request id is a new one, written after them.
  const fixedHeaders = steps.flatMap((step) =>
    Object.entries(step.headers ?? {}).flatMap(([name, value]) =>
      typeof value === 'string' ? [`${name}: ${value}\r\n`] : [],
    ),
  );
  return {
    frameworkErrors: (error, request, reply) => {
      onRequest.call(reply.server, request, reply, () => undefined);
      answerError(error, request, reply);
    },
    clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket) {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const [status, detail] = CLIENT_ERRORS[error.code ?? ''] ?? UNREADABLE;
      const requestId = randomUUID();
      this.log.info({ requestId, status, code: error.code, reason: error.message }, 'request unreadable');
      // An answer already begun (a body that timed out after its route answered) cannot be replaced.
      const begun = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage?.headersSent === true;
      if (socket.writable && !begun) {
        const body = JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status], status, detail });
        socket.write(
          `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${fixedHeaders.join('')}x-request-id: ${requestId}\r\ncontent-type: application/problem+json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      }
      socket.destroy(error);
    },
  };
};

export default frameworkErrors;
