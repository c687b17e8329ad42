import type { FastifyInstance, RawRequestDefaultExpression } from 'fastify';
import type { ServerOption } from '../concern.js';

/** Marks a HEAD request routed as GET; the step (step.ts) gives it back its method. */
export const ROUTED_AS_GET = Symbol('a HEAD request routed as GET');

/** A raw request, marked when it was routed as GET. */
export type HeadAwareRequest = RawRequestDefaultExpression & { [ROUTED_AS_GET]?: true };

/**
 * HEAD answered by the GET route itself, where Fastify would add a HEAD route for every GET
 * route: with hundreds of routes those doubled the router, the routes' hooks and the memory
 * they hold (docs/benchmarks.md). A HEAD request is routed as GET unless its path has a HEAD
 * route of its own; Node.js then sends the GET answer's headers without its body, as Fastify's
 * HEAD routes did.
 */
const headRequests: ServerOption = () => ({
  exposeHeadRoutes: false,
  rewriteUrl(this: FastifyInstance, request: HeadAwareRequest) {
    const url = request.url ?? '/';
    if (request.method === 'HEAD' && !this.routeTable.at(url.split('?', 1)[0] ?? url)?.headRoute) {
      request.method = 'GET';
      request[ROUTED_AS_GET] = true;
    }
    return url;
  },
});

export default headRequests;
