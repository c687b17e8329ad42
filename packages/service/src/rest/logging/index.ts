import type { Concern } from '../concern.js';
import accessLog from './access-log.js';
import traceContext from './trace-context.js';

/** One access-log line per request, or none; each request's logger carries the caller's trace id. */
const logging: Concern = {
  serverOptions: (settings) => ({
    ...accessLog(settings),
    ...traceContext(settings),
  }),
};

export default logging;
