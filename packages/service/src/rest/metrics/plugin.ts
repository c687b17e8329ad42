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
type Labels = Record<Label, string | number>;

/** One series of a prom-client histogram as it keeps it: what its exposition is made from. */
interface Series {
  labels: Labels;
  sum: number;
  count: number;
  bucketValues: Record<string, number>;
}
/** The parts of prom-client's Histogram that a bound series writes to. */
interface HistogramInternals {
  readonly hashMap?: Record<string, Series>;
  readonly upperBounds?: readonly number[];
}

/**
 * Observes one series of the histogram, its labels bound once. prom-client's own labelled child
 * validates and hashes its labels again on every observation (about 1.7 µs a request in a CPU
 * profile of a greeting, docs/benchmarks.md); this one makes the series through prom-client on
 * its first observation, then adds to that same series, as prom-client's observe does (the sum,
 * the count, the first bucket that holds the value). The exposition, the registry and the
 * cluster aggregation stay prom-client's; test/rest/metrics/metrics.test.ts holds the output
 * equal to a stock histogram's. Where the internals are not there, it observes as prom-client does.
 */
export function boundSeries(histogram: Histogram<Label>, labels: Labels): (seconds: number) => void {
  const internals = histogram as unknown as HistogramInternals;
  const bounds = internals.upperBounds;
  const throughPromClient = (seconds: number) => histogram.observe(labels, seconds);
  if (internals.hashMap === undefined || bounds === undefined) return throughPromClient;
  const keys = bounds.map(String);
  /** What prom-client's observe adds to a series, its labels already known. */
  const addTo = (series: Series) => (seconds: number) => {
    series.sum += seconds;
    series.count += 1;
    // The first bucket that holds it; past the last, only +Inf (the count) does. Keyed by the
    // bound's text, made once: a number key would be turned into text on every observation.
    for (let index = 0; index < bounds.length; index++) {
      if (seconds <= (bounds[index] as number)) {
        const key = keys[index] as string;
        series.bucketValues[key] = (series.bucketValues[key] ?? 0) + 1;
        return;
      }
    }
  };
  let observe = (seconds: number) => {
    throughPromClient(seconds);
    const names = Object.keys(labels) as Label[];
    // Read now, not at binding: prom-client's reset() would replace the map.
    const series = Object.values(internals.hashMap ?? {}).find((candidate) =>
      names.every((name) => candidate.labels[name] === labels[name]),
    );
    // Without prom-client's series as expected, every observation goes through prom-client.
    observe = series === undefined ? throughPromClient : addTo(series);
  };
  return (seconds) => observe(seconds);
}

/**
 * One route's observers, one per method and status, each bound to its labels once: the first
 * answer with a given status makes it, every later one only observes.
 */
class RouteDurations {
  readonly #observers = new Map<string, Map<number, (seconds: number) => void>>();

  /** `module` names the package that serves the route (empty for the service's own). */
  constructor(
    readonly histogram: Histogram<Label>,
    readonly route: string,
    readonly module: string,
  ) {}

  observe(method: string, status: number, seconds: number): void {
    const byStatus = this.#observers.get(method) ?? new Map<number, (seconds: number) => void>();
    let observer = byStatus.get(status);
    if (observer === undefined) {
      observer = boundSeries(this.histogram, {
        method,
        route: this.route,
        status_code: status,
        module: this.module,
      });
      byStatus.set(status, observer);
      this.#observers.set(method, byStatus);
    }
    observer(seconds);
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
const metrics = fp(
  async (app) => {
    register.clear();
    collectDefaultMetrics();
    const histogram = new Histogram({
      name: DURATION_NAME,
      help: DURATION_HELP,
      labelNames: ['method', 'route', 'status_code', 'module'] as const,
    });
    app.decorate('metricsRegistry', register);
    const unrouted = new RouteDurations(histogram, UNROUTED, '');
    app.decorate('observeUnrouted', (request: FastifyRequest, reply: FastifyReply) => {
      if (!UNMEASURED_METHODS.has(request.method)) {
        unrouted.observe(request.method, reply.statusCode, reply.elapsedTime / 1000);
      }
    });
    app.addHook('onRoute', (route) => {
      if ([route.method].flat().every((method) => UNMEASURED_METHODS.has(method))) return;
      // The route is tagged with its module already (rest/routes/groups.ts): read once here, not
      // per answer (request.routeOptions builds an object on every read).
      const durations = new RouteDurations(histogram, route.url, route.config?.servedBy?.name ?? '');
      const observe: onResponseHookHandler = (request, reply, done) => {
        if (!UNMEASURED_METHODS.has(request.method))
          durations.observe(request.method, reply.statusCode, reply.elapsedTime / 1000);
        done();
      };
      route.onResponse = [...[route.onResponse ?? []].flat(), observe];
    });
  },
  { name: 'simple-rest-metrics' },
);

export default metrics;
