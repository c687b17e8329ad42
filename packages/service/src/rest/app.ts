import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginCallback,
  type FastifyServerOptions,
} from 'fastify';
import { TokenVerifier, type VerifierOptions } from '../auth/token-verifier.js';
import { type AuthSettings, DEFAULT_SETTINGS, type Settings } from '../config.js';
import { closeModules, createInstances, LIFECYCLE_TIMEOUTS, type LifecycleTimeouts } from '../module-lifecycle.js';
import { checkNoShadowing, type MountedModule } from '../modules.js';
import { AccessLog } from './plugins/access-log.js';
import { authenticationPlugin } from './plugins/authentication.js';
import { negotiateRepresentation } from './plugins/content-negotiation.js';
import { corsHeaders, corsPreflight } from './plugins/cors.js';
import { answerError, answerUnrouted, errorsPlugin } from './plugins/errors.js';
import { loadSheddingPlugin } from './plugins/load-shedding.js';
import { metricsPlugin } from './plugins/metrics.js';
import { documentRoutes, openapiPlugin } from './plugins/openapi.js';
import { closeWhenDraining, readinessPlugin } from './plugins/readiness.js';
import { requestBodiesPlugin } from './plugins/request-bodies.js';
import { echoRequestId, requestIdOf } from './plugins/request-id.js';
import { routeTablePlugin } from './plugins/route-table.js';
import { SECURITY_HEADERS } from './plugins/security-headers.js';
import { childLoggerWithTraceId } from './plugins/trace-context.js';
import { trailingSlashPlugin } from './plugins/trailing-slash.js';
import { fixedHeaders, onRequestSteps, onSendSteps, type RequestStep } from './request-steps.js';
import { greetingRoutes } from './routes/greetings.js';
import { operationsRoutes } from './routes/operations.js';
import { schemaController } from './validation.js';

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

export interface AppOptions
  extends Partial<Pick<Settings, 'corsOrigins' | 'accessLog' | 'maxEventLoopDelayMs' | 'bodyLimitBytes'>> {
  /** The modules to mount, already loaded (see loadModules). */
  readonly modules: readonly MountedModule[];
  /** Where logs go; none by default (tests), pino on stdout from main. */
  readonly logger?: FastifyBaseLogger;
  readonly timeouts?: SocketTimeouts;
  /** Limits on the modules' ready() and close(); the defaults are LIFECYCLE_TIMEOUTS. */
  readonly lifecycleTimeouts?: LifecycleTimeouts;
  /** Registered before anything else, so it sees every route and hook: the tracer's plugin, when tracing is on. */
  readonly instrumentation?: FastifyPluginCallback;
  /**
   * Who verifies the tokens of routes that declare scopes: a provider (keys from its discovery
   * document, or given, in tests), or `disabled`; unset, such routes refuse every request.
   */
  readonly auth?: (AuthSettings & VerifierOptions) | 'disabled';
}

/**
 * The headers every answer carries, in one list of steps: the request id, then the security
 * headers and the CORS headers that are the same on every answer (set in one step), then the
 * CORS headers that depend on the request's Origin when CORS_ORIGINS is a list.
 */
function everyAnswerHeaders(corsOrigins: Settings['corsOrigins']): readonly RequestStep[] {
  const cors = corsHeaders(corsOrigins);
  return [echoRequestId, fixedHeaders(Object.freeze({ ...SECURITY_HEADERS, ...cors.fixed })), ...cors.perRequest];
}

/**
 * Errors Fastify raises before routing (an undecodable URL, say) run no hook, so they get the
 * same headers here, then the same problem JSON as every other error.
 */
function answerFrameworkErrors(
  headerSteps: readonly RequestStep[],
): NonNullable<FastifyServerOptions['frameworkErrors']> {
  return (error, request, reply) => {
    for (const step of headerSteps) step(request, reply);
    answerError(error, request, reply);
  };
}

/**
 * A module's operationId namespace: its package name as MODULES gave it, without the scope
 * (`blueprint`, `greet-v1`), numbered when the same name is mounted again.
 */
function namespaceOf(packageName: string, index: number, modules: readonly MountedModule[]): string {
  const stem = (name: string) => name.replace(/^@[^/]+\//, '');
  const earlier = modules
    .slice(0, index)
    .filter((other) => stem(other.packageName ?? other.module.name) === stem(packageName));
  return earlier.length === 0 ? stem(packageName) : `${stem(packageName)}${earlier.length + 1}`;
}

/** Who checks tokens: a verifier for a provider, `disabled`, or nobody (protected routes then refuse all). */
function verifierFor(auth: AppOptions['auth']): TokenVerifier | 'disabled' | undefined {
  if (auth === undefined || auth === 'disabled') return auth;
  const { issuer, audience, ...options } = auth;
  return new TokenVerifier({ issuer, audience }, options);
}

/** Builds the service without listening: main.ts listens, tests use inject(). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const {
    modules,
    corsOrigins = DEFAULT_SETTINGS.corsOrigins,
    accessLog = DEFAULT_SETTINGS.accessLog,
    maxEventLoopDelayMs = DEFAULT_SETTINGS.maxEventLoopDelayMs,
    bodyLimitBytes = DEFAULT_SETTINGS.bodyLimitBytes,
    timeouts = SOCKET_TIMEOUTS,
    lifecycleTimeouts = LIFECYCLE_TIMEOUTS,
  } = options;
  const headerSteps = everyAnswerHeaders(corsOrigins);
  const verifier = verifierFor(options.auth);
  const app = Fastify({
    ...(options.logger && { loggerInstance: options.logger }),
    genReqId: requestIdOf,
    childLoggerFactory: childLoggerWithTraceId,
    logController: new AccessLog(accessLog),
    frameworkErrors: answerFrameworkErrors(headerSteps),
    schemaController,
    bodyLimit: bodyLimitBytes,
    // Long enough that over-long names reach validation and get 400, not a bare 404.
    routerOptions: { maxParamLength: 1000 },
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkIntervalMs },
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
  });

  if (options.instrumentation) await app.register(options.instrumentation);
  // Cross-cutting behaviour first: its hooks then apply to every route registered after it.
  await app.register(readinessPlugin);
  await app.register(errorsPlugin);
  await app.register(routeTablePlugin);
  // Before the trailing slash: both put a hook first on a route, and the redirect, which tells
  // nothing, must come before the token check.
  await app.register(authenticationPlugin, { verifier });
  await app.register(trailingSlashPlugin);
  await app.register(requestBodiesPlugin, { bodyLimitBytes });
  // No route matched: 405, a 308 to the slashed path, or 404, from the route table.
  app.setNotFoundHandler(answerUnrouted(app));
  // Every answer's headers, then on the way out Connection: close while draining and the
  // JSON representation: one synchronous hook each (request-steps.ts says why).
  app.addHook('onRequest', onRequestSteps(headerSteps));
  app.addHook('onSend', onSendSteps([closeWhenDraining(app.readiness), negotiateRepresentation]));
  await app.register(corsPreflight, { origins: corsOrigins, routeTable: app.routeTable });
  // OpenAPI and metrics before every route: they see only routes added after them.
  await app.register(openapiPlugin, {
    modules,
    ...(verifier instanceof TokenVerifier && { issuer: verifier.settings.issuer }),
  });
  await app.register(metricsPlugin);

  // Each module's routes, readiness and clean-up for this app (a module with create() gets its own).
  const instances = await createInstances(modules, app.log);

  // The operations routes, in one scope whose paths no module may shadow.
  const operationsPaths: string[] = [];
  await app.register(async (operations) => {
    operations.addHook('onRoute', (route) => {
      operationsPaths.push(route.url);
    });
    operations.addHook('onRoute', documentRoutes('operations', 'operations', { api: false }));
    await operations.register(operationsRoutes, {
      modules,
      instances,
      ...(verifier instanceof TokenVerifier && { verifier }),
      moduleReadyTimeoutMs: lifecycleTimeouts.readyMs,
    });
  });
  checkNoShadowing(modules, operationsPaths);
  app.decorate('operationsPaths', Object.freeze(operationsPaths));

  // The API: the service's greetings and the modules, behind load shedding.
  await app.register(async (api) => {
    await api.register(loadSheddingPlugin, { maxEventLoopDelayMs });
    await api.register(async (greetings) => {
      greetings.addHook('onRoute', documentRoutes('greetings', 'greetings', { api: true }));
      await greetings.register(greetingRoutes);
    });
    for (const [index, { module, prefix, packageName = module.name }] of modules.entries()) {
      const { instance } = instances.find((live) => live.module === module) ?? {};
      await api.register(
        async (scope) => {
          // Every log line of a request the module serves says which module served it.
          scope.setChildLoggerFactory(function moduleChildLogger(logger, bindings, logOptions, rawRequest) {
            return childLoggerWithTraceId.call(
              this,
              logger,
              { ...bindings, module: module.name },
              logOptions,
              rawRequest,
            );
          });
          scope.addHook(
            'onRoute',
            documentRoutes(module.openapi.tag, namespaceOf(packageName, index, modules), { api: true }),
          );
          // Which module serves the route: traces name it (tracing.ts).
          scope.addHook('onRoute', (route) => {
            route.config = { ...route.config, servedBy: { name: module.name, version: module.version } };
          });
          if (instance) await scope.register(instance.routes);
        },
        { prefix },
      );
    }
  });
  // onClose runs once the server has answered every request in flight.
  app.addHook('onClose', async () => {
    await closeModules(instances, app.log, lifecycleTimeouts.closeMs);
  });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The operations routes' paths, as registered; modules may not be mounted on them. */
    readonly operationsPaths: readonly string[];
  }
}
