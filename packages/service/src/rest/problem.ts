import { createRequire } from 'node:module';
import type { FastifyReply } from 'fastify';

// Required, not imported: on Node.js 24 an ESM import of node:http reads every export, and its
// WebSocket getters load undici, about 45 ms of every start (docs/benchmarks.md).
const { STATUS_CODES } = createRequire(import.meta.url)('node:http') as typeof import('node:http');

/** Answers with an RFC 9457 problem document; `detail` must be safe to show a client. */
export function sendProblem(reply: FastifyReply, status: number, detail?: string): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, ...(detail && { detail }) });
}
