import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { redactedUrl } from '../logging/redact.js';
import { allowHeader, type PathEntry } from '../route-table/plugin.js';
import { redirectToSlashed } from '../trailing-slash/plugin.js';
import { sendProblem } from './problem.js';

/**
 * Every error becomes problem JSON. A 4xx tells the client what was wrong with its request,
 * logged as one line (it is the client's mistake, not the service's: no stack); a 5xx says only
 * its status, and the details, stack included, go to the log at error. A request no route
 * matches gets Flask's 405 or 308 from the route table (registered before), else 404, before
 * its body is read. Errors before routing are answered alike (server-option.ts).
 */
const errors = fp(
  async (app) => {
    app.setErrorHandler(answerError);
    const answer = answerUnrouted(app);
    const answerAndCount = async (request: FastifyRequest, reply: FastifyReply) => {
      await answer(request, reply);
      // Counted in /metrics when the metrics plugin is there (the service has it; a bare test app may not).
      if (app.hasDecorator('observeUnrouted')) app.observeUnrouted(request, reply);
      return reply;
    };
    // In a scope of its own, so that its onRequest hook is the not-found context's alone: a request
    // no route takes is answered as it arrives, before its body is read (a parse error or a 413
    // would otherwise hide the 404 or 405). The scope takes the root's hooks when it is registered:
    // the steps, added before this plugin, run first. The handler stays for reply.callNotFound().
    await app.register(async (unrouted) => {
      unrouted.addHook('onRequest', answerAndCount);
      unrouted.setNotFoundHandler(answerAndCount);
    });
  },
  { name: 'simple-rest-errors', dependencies: ['simple-rest-route-table'] },
);

export default errors;

export function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status =
    error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error, method: request.method, url: redactedUrl(request.url) }, 'request failed');
    return sendProblem(reply, status);
  }
  request.log.info(
    { method: request.method, url: redactedUrl(request.url), status, code: error.code, reason: error.message },
    'request rejected',
  );
  return sendProblem(reply, status, error.message);
}

/**
 * No route matched this method and path, so Flask's rules decide: a path served with other
 * methods answers 405 with `Allow`; the slash-less form of a route redirects with 308 (which
 * keeps the method and body) when the slashed one takes the method, else 405 too; the rest is 404.
 */
function answerUnrouted(app: FastifyInstance) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply | Promise<FastifyReply> => {
    const [path = ''] = request.url.split('?', 1);
    const here = app.routeTable.at(path);
    // A route that takes the method sent us here itself (reply.callNotFound(), as a static file server does).
    if (here?.methods.has(request.method)) return answerNotFound(request, reply);
    if (here !== undefined) return answerMethodNotAllowed(request, reply, here);
    const slashed = path.endsWith('/') ? undefined : app.routeTable.at(`${path}/`);
    if (slashed?.methods.has(request.method)) return redirectToSlashed(request, reply);
    if (slashed !== undefined) return answerMethodNotAllowed(request, reply, slashed);
    return answerNotFound(request, reply);
  };
}

function answerNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  request.log.info({ method: request.method, url: redactedUrl(request.url) }, 'no route');
  return sendProblem(reply, 404, 'No route matches this method and path');
}

function answerMethodNotAllowed(request: FastifyRequest, reply: FastifyReply, entry: PathEntry): FastifyReply {
  const allow = allowHeader(entry);
  const { module } = entry;
  request.log.info(
    { method: request.method, url: redactedUrl(request.url), allow, ...(module && { module }) },
    'method not allowed',
  );
  return sendProblem(reply.header('allow', allow), 405, `${request.method} is not allowed here; allowed: ${allow}`);
}
