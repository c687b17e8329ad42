import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { ConfigError, invalidConfiguration, loadConfig, type Settings } from './config.js';
import { workerCount } from './cpus.js';
import { serviceInfo } from './info.js';
import { withModuleSettings } from './module-settings.js';
import { loadModules, type MountedModule } from './modules.js';
import { buildApp } from './rest/app.js';
import { drainAndClose, SHUTDOWN_MESSAGE } from './shutdown.js';
import type { Tracing } from './tracing.js';

/**
 * The process: read configuration, check the configured modules, then serve, or with
 * WEB_CONCURRENCY > 1 run that many workers that serve. Everything that can be wrong with
 * the configuration fails here, before listening, with one line on stderr and exit code 1.
 */
async function main(): Promise<void> {
  const settings = loadConfig(process.env);
  const modules = withModuleSettings(await loadModules(settings.modules), process.env);
  // Asynchronous writes keep logging off the request path; pino flushes them on exit.
  const logger = pino({ level: settings.logLevel }, pino.destination({ sync: false }));
  // Only a process with an IPC channel can be a cluster worker: others skip loading node:cluster
  // (about 5 ms of every start), and the primary's code loads only when there are workers to run.
  const isWorker = process.send !== undefined && (await import('node:cluster')).default.isWorker;
  const workers = isWorker ? 1 : workerCount(settings.webConcurrency);
  if (workers > 1) (await import('./primary.js')).runPrimary(workers, logger, settings.shutdownTimeoutMs);
  else await serve(settings, modules, logger, isWorker);
}

async function serve(settings: Settings, modules: MountedModule[], logger: Logger, isWorker: boolean): Promise<void> {
  let app: FastifyInstance | undefined;
  // Loaded only when tracing is on: with it off, no OpenTelemetry code is even read.
  const tracing: Tracing | undefined = settings.tracing
    ? (await import('./tracing.js')).startTracing(settings.tracing, serviceInfo)
    : undefined;
  // A second signal exits at once; SHUTDOWN_TIMEOUT_MS after the first, the process exits 1.
  const grace = closeWithGrace(
    { delay: settings.shutdownTimeoutMs, logger: { error: (message: string) => logger.error(message) } },
    async ({ signal, err }) => {
      if (err) {
        // State is unknown after an uncaught error: log it and exit non-zero for a restart.
        logger.fatal({ err }, 'uncaught error, exiting');
      } else {
        logger.info({ signal: signal ?? 'from the primary' }, 'signal received');
        if (app) await drainAndClose(app, settings.shutdownDelayMs);
      }
      // The last requests' spans, exported before the process exits.
      await tracing
        ?.shutdown()
        .catch((error: unknown) => logger.error({ err: error }, 'exporting the last spans failed'));
      // Write out what the asynchronous destination still holds before the process exits.
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
      if (err) throw err; // close-with-grace exits 1 when this function throws
    },
  );
  if (isWorker) {
    // A worker drains when its primary asks, or when the primary is gone.
    process.on('message', (message) => message === SHUTDOWN_MESSAGE && grace.close());
    process.on('disconnect', () => grace.close());
  }

  app = await buildApp({
    modules,
    logger,
    corsOrigins: settings.corsOrigins,
    accessLog: settings.accessLog,
    maxEventLoopDelayMs: settings.maxEventLoopDelayMs,
    bodyLimitBytes: settings.bodyLimitBytes,
    ...(tracing && { instrumentation: tracing.plugin }),
    ...(settings.auth && { auth: settings.auth }),
  });
  checkAuthentication(app, settings);
  if (settings.auth === 'disabled') {
    logger.warn(
      { protectedRoutes: app.protectedRoutes.length },
      'AUTH_DISABLED=true: routes that need scopes are served without a token; for local development only',
    );
  }
  await app.listen({ host: settings.host, port: settings.port });
}

/**
 * Secure by default: a module whose routes declare scopes is not served with no one to check
 * tokens. Checked here rather than in buildApp, which the build and the tests call without an issuer.
 */
function checkAuthentication(app: FastifyInstance, settings: Settings): void {
  if (settings.auth !== undefined) return;
  const [first] = app.protectedRoutes;
  if (first === undefined) return;
  const module = first.route.config?.servedBy?.name ?? 'the service';
  const scopes = [...new Set(app.protectedRoutes.flatMap(({ scopes }) => scopes))].join(', ');
  throw invalidConfiguration(
    `"${module}" has routes that need scopes (${scopes}): set AUTH_ISSUER and AUTH_AUDIENCE, or AUTH_DISABLED=true for local development`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  // Exit outright: a cluster worker's IPC channel would otherwise keep it alive, and its
  // primary would never learn that it failed to start.
  process.exit(1);
});
