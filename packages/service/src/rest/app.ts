import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { closeModules, LIFECYCLE_TIMEOUTS, type LifecycleTimeouts } from '../module-lifecycle.js';
import type { MountedModule } from '../modules.js';
import { contentNegotiationPlugin } from './plugins/content-negotiation.js';
import { corsPlugin } from './plugins/cors.js';
import { errorsPlugin, frameworkErrors } from './plugins/errors.js';
import { helmetPlugin } from './plugins/helmet.js';
import { loadSheddingPlugin } from './plugins/load-shedding.js';
import { metricsPlugin } from './plugins/metrics.js';
import { openapiPlugin } from './plugins/openapi.js';
import { readinessPlugin } from './plugins/readiness.js';
import { AccessLog, requestIdOf, requestIdPlugin } from './plugins/request-logging.js';
import { trailingSlashPlugin } from './plugins/trailing-slash.js';
import { greetingRoutes } from './routes/greetings.js';
import { operationsRoutes } from './routes/operations.js';

/** Socket timeouts, in milliseconds; the defaults are SOCKET_TIMEOUTS. */
export interface SocketTimeouts {
  /** A client must send its whole request head within this (slowloris). */
  readonly headersMs: number;
  /** A client must send its whole request within this. */
  readonly requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveMs: number;
  /** How often Node checks the first two. */
  readonly checkIntervalMs: number;
}

// keepAliveMs is Fastify's default, longer than the 60 s idle timeout of common load
// balancers, so the balancer closes first and never sends on a connection being closed.
const SOCKET_TIMEOUTS: SocketTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 72_000,
  checkIntervalMs: 1_000,
};

export interface AppOptions {
  /** The modules to mount, already loaded (see loadModules). */
  readonly modules: readonly MountedModule[];
  /** `*` or comma-separated origins. Default `*`. */
  readonly corsOrigins?: string;
  /** One log line per request. Default true. */
  readonly accessLog?: boolean;
  /** Event-loop delay past which business routes answer 503; 0 turns it off. Default 1000. */
  readonly maxEventLoopDelayMs?: number;
  /** Where logs go; none by default (tests), pino on stdout from main. */
  readonly logger?: FastifyBaseLogger;
  readonly timeouts?: SocketTimeouts;
  /** Limits on the modules' ready() and close(); the defaults are LIFECYCLE_TIMEOUTS. */
  readonly lifecycleTimeouts?: LifecycleTimeouts;
}

/** Builds the service without listening: main.ts listens, tests use inject(). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const {
    modules,
    corsOrigins = '*',
    accessLog = true,
    maxEventLoopDelayMs = 1000,
    timeouts = SOCKET_TIMEOUTS,
    lifecycleTimeouts = LIFECYCLE_TIMEOUTS,
  } = options;
  const app = Fastify({
    ...(options.logger && { loggerInstance: options.logger }),
    genReqId: requestIdOf,
    logController: new AccessLog(accessLog),
    frameworkErrors,
    // Long enough that over-long names reach validation and get 400, not a bare 404.
    routerOptions: { maxParamLength: 1000 },
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkIntervalMs },
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
  });

  // Cross-cutting behaviour first: its hooks then apply to every route registered after it.
  await app.register(readinessPlugin);
  await app.register(errorsPlugin);
  await app.register(trailingSlashPlugin);
  await app.register(requestIdPlugin);
  await app.register(helmetPlugin);
  await app.register(corsPlugin, { origins: corsOrigins });
  await app.register(contentNegotiationPlugin);
  // OpenAPI before everything that adds routes: it documents only routes added after it.
  await app.register(openapiPlugin, { modules });
  await app.register(metricsPlugin);

  await app.register(operationsRoutes, { modules, moduleReadyTimeoutMs: lifecycleTimeouts.readyMs });
  // onClose runs once the server has answered every request in flight.
  app.addHook('onClose', async () => {
    await closeModules(modules, app.log, lifecycleTimeouts.closeMs);
  });
  await app.register(async (business) => {
    await business.register(loadSheddingPlugin, { maxEventLoopDelayMs });
    await business.register(greetingRoutes);
    for (const { module, prefix } of modules) {
      await business.register(
        async (scope) => {
          scope.addHook('onRoute', (route) => {
            route.schema = { ...route.schema, tags: [module.openapi.tag] };
          });
          await scope.register(module.routes);
        },
        { prefix },
      );
    }
  });
  return app;
}
