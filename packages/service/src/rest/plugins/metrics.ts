import fastifyMetrics from 'fastify-metrics';
import fp from 'fastify-plugin';

// Per-route request count and latency histogram (labels: method, route, status_code),
// plus prom-client's default process metrics. They live in prom-client's one global registry,
// which clearRegisterOnInit empties when an app starts, so building a second app in the same
// process (as the tests do) does not fail on metrics registered twice; two apps alive at once
// share it.
export const metricsPlugin = fp(async (app) => {
  // fastify-metrics is CommonJS with an `exports.default`, which ESM sees as `.default`.
  await app.register(fastifyMetrics.default, {
    endpoint: null, // GET /metrics is among the operations routes
    clearRegisterOnInit: true,
    routeMetrics: { enabled: { histogram: true, summary: false }, groupStatusCodes: false },
  });
});
