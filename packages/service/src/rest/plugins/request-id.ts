import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestStep } from '../request-steps.js';

const REQUEST_ID_HEADER = 'x-request-id';
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's request id when it is safe to log and echo; otherwise makes one. */
export function requestIdOf(request: IncomingMessage): string {
  const offered = request.headers[REQUEST_ID_HEADER];
  return typeof offered === 'string' && WELL_FORMED_REQUEST_ID.test(offered) ? offered : randomUUID();
}

/** Echoes the request id on every response, so a caller can quote it against the logs. */
export const echoRequestId: RequestStep = (request, reply) => {
  reply.header(REQUEST_ID_HEADER, request.id);
};
