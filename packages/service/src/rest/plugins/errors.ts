import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from '../problem.js';

/**
 * Every error becomes problem JSON. A 4xx tells the client what was wrong with its
 * request; a 5xx says only its status, and the details go to the log.
 */
export const errorsPlugin = fp(async (app) => {
  app.setErrorHandler(answerError);
});

export function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status =
    error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error, method: request.method, url: request.url }, 'request failed');
    return sendProblem(reply, status);
  }
  request.log.info({ err: error, method: request.method, url: request.url }, 'request rejected');
  return sendProblem(reply, status, error.message);
}

/** No route matches: a 404 problem. */
export function answerNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  request.log.info({ method: request.method, url: request.url }, 'no route');
  return sendProblem(reply, 404, 'No route matches this method and path');
}
