// The Fastify constructor's options, one concern a file (server-option.ts says the shape): to
// add one, add a file and name it here.
import type { FastifyServerOptions } from 'fastify';
import accessLog from './access-log.js';
import frameworkErrors from './framework-errors.js';
import headRequests from './head-requests.js';
import requestId from './request-id.js';
import type { ServerOption, ServerOptionSettings } from './server-option.js';
import socketTimeouts from './socket-timeouts.js';
import traceContext from './trace-context.js';
import validation from './validation.js';

const SERVER_OPTIONS: readonly ServerOption[] = [
  requestId,
  traceContext,
  accessLog,
  frameworkErrors,
  validation,
  socketTimeouts,
  headRequests,
];

/** Every concern's options, merged (no two concerns set the same option). */
export function serverOptions(settings: ServerOptionSettings): FastifyServerOptions {
  return Object.assign({}, ...SERVER_OPTIONS.map((option) => option(settings)));
}
