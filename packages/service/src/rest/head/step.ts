import type { StepFactory } from '../concern.js';
import { type HeadAwareRequest, ROUTED_AS_GET } from './server-option.js';

/**
 * A HEAD request that was routed as GET (server-option.ts) is HEAD again for
 * everything after routing: logs, metrics and the route's own hooks see the method it came with.
 */
const headRequests: StepFactory = () => ({
  onRequest: (request) => {
    const raw: HeadAwareRequest = request.raw;
    if (raw[ROUTED_AS_GET]) raw.method = 'HEAD';
  },
});

export default headRequests;
