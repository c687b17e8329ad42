import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ServerOption } from '../concern.js';

const REQUEST_ID_HEADER = 'x-request-id';
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's request id when it is safe to log and echo; otherwise makes one. */
export function requestIdOf(request: IncomingMessage): string {
  const offered = request.headers[REQUEST_ID_HEADER];
  return typeof offered === 'string' && WELL_FORMED_REQUEST_ID.test(offered) ? offered : randomUUID();
}

/** Request ids: the caller's `X-Request-Id` when well formed (step.ts echoes it). */
const requestId: ServerOption = () => ({ genReqId: requestIdOf });

export default requestId;
