import type { FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Histogram, type Registry, register } from 'prom-client';

// The names, labels and buckets fastify-metrics gave this histogram before it was replaced
// (docs/benchmarks.md says why): dashboards built on them keep working.
const DURATION_NAME = 'http_request_duration_seconds';
const DURATION_HELP = 'request duration in seconds';
// Like fastify-metrics, HEAD and OPTIONS answers are not measured, nor TRACE and CONNECT.
const UNMEASURED_METHODS = new Set(['HEAD', 'OPTIONS', 'TRACE', 'CONNECT']);

type Label = 'method' | 'route' | 'status_code' | 'module';
type Observer = Histogram.Internal<Label>;

/**
 * One route's observers, one per method and status, each bound to its labels once: the first
 * answer with a given status makes it, every later one only observes.
 */
class RouteDurations {
  readonly #observers = new Map<string, Map<number, Observer>>();

  /** `moduleOf` names the package that serves the route (empty for the service's own), asked when an observer is made. */
  constructor(
    readonly histogram: Histogram<Label>,
    readonly route: string,
    readonly moduleOf: () => string,
  ) {}

  observe(method: string, status: number, seconds: number): void {
    const byStatus = this.#observers.get(method) ?? new Map<number, Observer>();
    let observer = byStatus.get(status);
    if (observer === undefined) {
      observer = this.histogram.labels({ method, route: this.route, status_code: status, module: this.moduleOf() });
      byStatus.set(status, observer);
      this.#observers.set(method, byStatus);
    }
    observer.observe(seconds);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The registry GET /metrics exposes. */
    readonly metricsRegistry: Registry;
    /** Counts an answer no route gave (404, 405, 308), under the one route label UNROUTED. */
    readonly observeUnrouted: (request: FastifyRequest, reply: FastifyReply) => void;
  }
}

/** The route label of every request no route takes: one series per method and status, however many paths are tried. */
export const UNROUTED = '(unrouted)';

/**
 * Per-route request count and latency histogram (labels: method, route template, status_code,
 * and the module serving it)
 * for every route registered after this plugin, plus prom-client's default process metrics.
 * The duration is Fastify's own (reply.elapsedTime), so no hook runs before the handler; each
 * route gets its own onResponse hook, bound to the route's observers, so nothing is looked up
 * per request but the status.
 * prom-client's registry is global: it is emptied when an app starts, so a second app built in
 * the same process (as the tests do) does not fail on metrics registered twice.
 */
const metrics = fp(async (app) => {
  register.clear();
  collectDefaultMetrics();
  const histogram = new Histogram({
    name: DURATION_NAME,
    help: DURATION_HELP,
    labelNames: ['method', 'route', 'status_code', 'module'] as const,
  });
  app.decorate('metricsRegistry', register);
  const unrouted = new RouteDurations(histogram, UNROUTED, () => '');
  app.decorate('observeUnrouted', (request: FastifyRequest, reply: FastifyReply) => {
    if (!UNMEASURED_METHODS.has(request.method)) {
      unrouted.observe(request.method, reply.statusCode, reply.elapsedTime / 1000);
    }
  });
  app.addHook('onRoute', (route) => {
    if ([route.method].flat().every((method) => UNMEASURED_METHODS.has(method))) return;
    // rest/routes/modules.ts tags the route with its module after this hook has run, on these
    // same options: the tag is read when an observer is first made, not per answer
    // (request.routeOptions builds an object on every read).
    const durations = new RouteDurations(histogram, route.url, () => route.config?.servedBy?.name ?? '');
    const observe: onResponseHookHandler = (request, reply, done) => {
      if (!UNMEASURED_METHODS.has(request.method))
        durations.observe(request.method, reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    route.onResponse = [...[route.onResponse ?? []].flat(), observe];
  });
});

export default metrics;
