import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';

/** Answers with an RFC 9457 problem document; `detail` must be safe to show a client. */
export function sendProblem(reply: FastifyReply, status: number, detail?: string): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, ...(detail && { detail }) });
}
