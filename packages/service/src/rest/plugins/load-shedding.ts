import underPressure from '@fastify/under-pressure';
import fp from 'fastify-plugin';

/**
 * Past the event-loop delay limit, answer 503 with Retry-After instead of queueing without
 * bound. Registered only around the API routes, so the operations routes keep answering.
 * The delay is the mean over under-pressure's default 1 s sample: a shorter sample reads
 * a start-up pause (schema compilation) as overload and sheds the first requests.
 */
const loadShedding = fp<{ maxEventLoopDelayMs: number }>(async (app, { maxEventLoopDelayMs }) => {
  await app.register(underPressure, {
    maxEventLoopDelay: maxEventLoopDelayMs,
    retryAfter: 1,
  });
});

export default loadShedding;
