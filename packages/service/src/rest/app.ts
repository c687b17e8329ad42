import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginCallback } from 'fastify';
import {
  type AuthSettings,
  DEFAULT_SETTINGS,
  type Settings,
  SOCKET_TIMEOUTS,
  type SocketTimeouts,
} from '../config/index.js';
import { closeModules, createInstances, LIFECYCLE_TIMEOUTS, type LifecycleTimeouts } from '../module-lifecycle.js';
import { checkNoShadowing, type MountedModule } from '../modules.js';
import { Platform } from '../platform/index.js';
import { TokenVerifier, type VerifierOptions, verifierFor } from './auth/token-verifier.js';
import { registerPlugins, serverOptionsOf, stepsOf } from './concern.js';
import { CONCERNS } from './concerns.js';
import loadShedding from './load-shedding/plugin.js';
import { documentRoutes } from './openapi/plugin.js';
import { greetingRoutes } from './routes/greetings.js';
import { routeGroups } from './routes/groups.js';
import { moduleGroup } from './routes/modules.js';
import { operationsRoutes } from './routes/operations.js';
import { stepHooks } from './steps.js';
import { warmUpCompilers } from './validation/server-option.js';

export interface AppOptions
  extends Partial<Pick<Settings, 'corsOrigins' | 'accessLog' | 'maxEventLoopDelayMs' | 'bodyLimitBytes'>> {
  /** The database modules that declare one get a schema in: the defaults where not given (the embedded one, in memory). */
  readonly database?: Partial<Settings['database']>;
  readonly jobs?: Partial<Settings['jobs']>;
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

const WARM_UP_DELAY_MS = 200;

/**
 * Builds the service without listening (main.ts listens, tests use inject()): the concerns of
 * concerns.ts (the constructor's options, every answer's steps, the plugins), then the route
 * groups (routes/); it makes the platform the modules' instances get, and closes them in order.
 */
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
  const database = { ...DEFAULT_SETTINGS.database, ...options.database };
  const jobs = { ...DEFAULT_SETTINGS.jobs, ...options.jobs };
  const verifier = verifierFor(options.auth);
  const concernSettings = { corsOrigins, accessLog, bodyLimitBytes, timeouts, verifier, modules };
  const steps = stepsOf(CONCERNS, concernSettings);
  const app = Fastify({
    ...(options.logger && { loggerInstance: options.logger }),
    ...serverOptionsOf(CONCERNS, { ...concernSettings, steps }),
  });

  if (options.instrumentation) await app.register(options.instrumentation);
  // Every answer's steps, first: a scope takes the hooks its parent has when it is registered,
  // so the preflights' scope (cors/plugin.ts) gets them too.
  const { onRequest, onSend } = stepHooks(steps);
  app.addHook('onRequest', onRequest);
  app.addHook('onSend', onSend);
  // Route groups tag their routes first (routes/groups.ts); then the concerns' plugins, before any
  // route: each sees, through onRoute, every route registered after it, tagged (test/rest/app.test.ts
  // checks that every route is in the route table and the document).
  const groups = routeGroups(app);
  await registerPlugins(app, CONCERNS, concernSettings);

  // The database and jobs modules may declare, then each module's routes, readiness and
  // clean-up for this app (a module with create() gets its own).
  const platform = new Platform({ database, jobs }, app.log);
  app.decorate('platform', platform);
  const instances = await createInstances(modules, app.log, platform);

  // The operations routes, whose paths no module may shadow.
  const operationsPaths: string[] = [];
  const documentOperation = documentRoutes('operations', 'operations', { api: false });
  await groups.mount(app, {
    routes: async (operations) => {
      await operations.register(operationsRoutes, {
        modules,
        instances,
        platform,
        ...(verifier instanceof TokenVerifier && { verifier }),
        moduleReadyTimeoutMs: lifecycleTimeouts.readyMs,
      });
    },
    tag: (route) => {
      operationsPaths.push(route.url);
      documentOperation(route);
    },
  });
  checkNoShadowing(modules, operationsPaths);
  app.decorate('operationsPaths', Object.freeze(operationsPaths));

  // The API: the service's greetings and the modules, behind load shedding.
  await app.register(async (api) => {
    await api.register(loadShedding, { maxEventLoopDelayMs });
    await groups.mount(api, { routes: greetingRoutes, tag: documentRoutes('greetings', 'greetings', { api: true }) });
    await groups.mount(api, moduleGroup(modules, instances, app.childLoggerFactory));
  });
  // Schemas compile on first use: warm the compilers up shortly after listening, once the first
  // requests (a readiness probe, a cold start's first caller) have had their answers.
  app.addHook('onListen', async () => {
    setTimeout(warmUpCompilers, WARM_UP_DELAY_MS).unref();
  });
  // onClose runs once the server has answered every request in flight: the jobs stop (those
  // running get the close budget, then go to another instance), the modules close, then the
  // database they used.
  app.addHook('onClose', async () => {
    await platform.jobs.stop(lifecycleTimeouts.closeMs);
    await closeModules(instances, app.log, lifecycleTimeouts.closeMs);
    await platform.database.close();
  });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The operations routes' paths, as registered; modules may not be mounted on them. */
    readonly operationsPaths: readonly string[];
    /** The database and jobs the host gives modules: main.ts migrates before listening and starts the jobs after. */
    readonly platform: Platform;
  }
}
