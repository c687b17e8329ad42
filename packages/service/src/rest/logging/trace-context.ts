import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyServerOptions } from 'fastify';
import type { ServerOption } from '../concern.js';
import { RequestLogger } from './request-logger.js';

// W3C Trace Context: version-traceid-parentid-flags in lower-case hex; versions after 00 may
// append fields. Version ff, and an all-zero trace id or parent id, are invalid.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?$/;
const ALL_ZEROS = /^0+$/;

/** The trace id of a valid `traceparent` header; undefined for a missing or malformed one. */
export function traceIdOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.traceparent;
  if (typeof header !== 'string') return undefined;
  const [, version, traceId = '', parentId = '', more] = TRACEPARENT.exec(header.trim()) ?? [];
  const valid =
    version !== undefined &&
    version !== 'ff' &&
    !(version === '00' && more !== undefined) &&
    !ALL_ZEROS.test(traceId) &&
    !ALL_ZEROS.test(parentId);
  return valid ? traceId : undefined;
}

/**
 * Each request's logger carries the caller's trace id as `trace_id` when the request has a valid
 * `traceparent`, so logs can be joined to a gateway's trace without a tracer running here. A
 * malformed header is ignored: the request is served as if it had none.
 */
export const childLoggerWithTraceId: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger,
  bindings,
  options,
  rawRequest,
) => {
  const traceId = traceIdOf(rawRequest.headers);
  return new RequestLogger(logger, traceId === undefined ? bindings : { ...bindings, trace_id: traceId }, options);
};

/** Each request's logger carries the caller's trace id (childLoggerWithTraceId). */
const traceContext: ServerOption = () => ({ childLoggerFactory: childLoggerWithTraceId });

export default traceContext;
