import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from '../problem.js';
import { applySecurityHeaders } from './helmet.js';
import { echoRequestId } from './request-logging.js';

/**
 * Every error becomes problem JSON. A 4xx tells the client what was wrong with its
 * request; a 5xx says only its status, and the details go to the log.
 */
export const errorsPlugin = fp(async (app) => {
  app.setErrorHandler((error: FastifyError, request, reply) => answerError(error, request, reply));
});

/**
 * Errors Fastify raises before routing (an undecodable URL, say) take the same path; no
 * hook runs for them, so they get the security headers and request id here.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (error, request, reply) => {
  applySecurityHeaders(reply);
  echoRequestId(request, reply);
  answerError(error, request, reply);
};

function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status =
    error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error, method: request.method, url: request.url }, 'request failed');
    return sendProblem(reply, status);
  }
  request.log.info({ err: error, method: request.method, url: request.url }, 'request rejected');
  return sendProblem(reply, status, error.message);
}
