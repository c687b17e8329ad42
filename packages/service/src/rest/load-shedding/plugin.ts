import createError from '@fastify/error';
import underPressure from '@fastify/under-pressure';
import fp from 'fastify-plugin';

// under-pressure's default sample: the delay is the mean over each second.
const SAMPLE_INTERVAL_MS = 1000;
// The same answer under-pressure gives by default: 503, which the error handler makes a problem.
const Overloaded = createError('FST_UNDER_PRESSURE', 'Service Unavailable', 503);

/**
 * Past the event-loop delay limit, answer 503 with Retry-After instead of queueing without
 * bound. Registered only around the API routes, so the operations routes keep answering.
 * under-pressure starts sampling when it is registered, so its first samples measure the start
 * itself (routes being registered, a module opening its database): that is not overload, and
 * shedding then would turn away the first requests of an instance just marked ready. Readings
 * count from two samples after the app is ready, by when one whole sample has begun after it.
 */
const loadShedding = fp<{ maxEventLoopDelayMs: number }>(
  async (app, { maxEventLoopDelayMs }) => {
    let readingsCountFrom = Number.POSITIVE_INFINITY;
    app.addHook('onReady', async () => {
      readingsCountFrom = performance.now() + 2 * SAMPLE_INTERVAL_MS;
    });
    await app.register(underPressure, {
      maxEventLoopDelay: maxEventLoopDelayMs,
      sampleInterval: SAMPLE_INTERVAL_MS,
      pressureHandler: (_request, reply) => {
        if (performance.now() < readingsCountFrom) return undefined; // served
        reply.header('retry-after', 1);
        return Promise.reject(new Overloaded());
      },
    });
  },
  { name: 'simple-rest-load-shedding' },
);

export default loadShedding;
