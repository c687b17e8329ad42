// The host's concerns, in order: a folder each (concern.ts says the shape). The order is that of
// their plugins' registration and of their steps, and both matter:
// - readiness and the route table first: other concerns read them (cors/, errors/, head/);
// - the steps' headers go out in this order (request id, security headers, CORS), and the steps
//   that act as the answer is sent run in it too (Connection: close, then content negotiation);
// - auth before trailing-slash: both put a hook first on a route, and the redirect, which tells
//   nothing, must come before the token check.
// A plugin that needs another registered before it says so (fastify-plugin's `dependencies`), so
// a wrong order here stops the start.
import auth from './auth/index.js';
import type { Concern } from './concern.js';
import connections from './connections/index.js';
import contentNegotiation from './content-negotiation/index.js';
import cors from './cors/index.js';
import errors from './errors/index.js';
import head from './head/index.js';
import logging from './logging/index.js';
import metrics from './metrics/index.js';
import openapi from './openapi/index.js';
import readiness from './readiness/index.js';
import requestId from './request-id/index.js';
import routeTable from './route-table/index.js';
import securityHeaders from './security-headers/index.js';
import trailingSlash from './trailing-slash/index.js';
import validation from './validation/index.js';

export const CONCERNS: readonly Concern[] = [
  readiness,
  routeTable,
  head,
  requestId,
  logging,
  securityHeaders,
  errors,
  auth,
  trailingSlash,
  validation,
  cors,
  contentNegotiation,
  openapi,
  metrics,
  connections,
];
