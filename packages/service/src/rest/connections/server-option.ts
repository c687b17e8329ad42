import type { ServerOption } from '../concern.js';

/** How long a client may take, and how long an idle connection is kept. */
const socketTimeouts: ServerOption = ({ timeouts }) => ({
  http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkIntervalMs },
  requestTimeout: timeouts.requestMs,
  keepAliveTimeout: timeouts.keepAliveMs,
});

export default socketTimeouts;
