import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { ConfigError, invalidConfiguration, loadConfig, type Settings } from './config/index.js';
import { workerCount } from './cpus.js';
import { serviceInfo } from './info.js';
import { type MountedModule, resolveModules } from './modules.js';
import { MigrationError } from './platform/database/migrations.js';
import { buildApp } from './rest/app.js';
import { scopesWithoutVerifier } from './rest/auth/plugin.js';
import { drainAndClose, SHUTDOWN_MESSAGE } from './shutdown.js';
import type { Tracing } from './tracing.js';

/**
 * The process: read configuration, check the configured modules, then serve, or with
 * WEB_CONCURRENCY > 1 run that many workers that serve. Everything that can be wrong with
 * the configuration fails here, before listening, with one line on stderr and exit code 1.
 */
async function main(): Promise<void> {
  const settings = loadConfig(process.env);
  const modules = await resolveModules(settings.modules, process.env);
  if (process.argv[2] === 'migrate') return migrateOnly(settings, modules);
  const logger = pino({ level: settings.logLevel }, stdoutInBuffers());
  // Only a process with an IPC channel can be a cluster worker: others skip loading node:cluster
  // (about 5 ms of every start), and the primary's code loads only when there are workers to run.
  const isWorker = process.send !== undefined && (await import('node:cluster')).default.isWorker;
  const workers = isWorker ? 1 : workerCount(settings.webConcurrency);
  checkEmbeddedDatabase(settings, modules, workers);
  if (workers > 1) (await import('./primary.js')).runPrimary(workers, logger, settings.shutdownTimeoutMs);
  else await serve(settings, modules, logger, isWorker);
}

/**
 * Standard output as pino's destination: sonic-boom, writing asynchronously to keep logging off
 * the request path (pino flushes it on exit), fed each line as a Buffer. Fed strings, sonic-boom
 * measures the byte length of all it holds on every line, which costs about twice the rest of an
 * access-log line under load (docs/benchmarks.md); in its buffer mode it adds lengths instead.
 */
function stdoutInBuffers(): pino.DestinationStream {
  const destination = pino.destination({ sync: false, contentMode: 'buffer' });
  // Typed for strings only; in buffer mode, write takes Buffers.
  const writeBuffer = (destination.write as unknown as (chunk: Buffer) => boolean).bind(destination);
  destination.write = (line: string) => writeBuffer(Buffer.from(line));
  return destination;
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
    database: settings.database,
    jobs: settings.jobs,
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
  // Migrations before listening: an edited one stops the start here; an unreachable database does not.
  await app.platform.prepare(app.log);
  if (app.platform.database.inUse && settings.database.url === undefined) {
    logger.warn(
      settings.database.dataDir === undefined
        ? 'the embedded database keeps its data in memory: it is lost at exit (set DATABASE_URL, or DATABASE_DATA_DIR)'
        : 'the embedded database keeps its data in DATABASE_DATA_DIR, for this one process (set DATABASE_URL to share a PostgreSQL)',
    );
  }
  await app.listen({ host: settings.host, port: settings.port });
  app.platform.jobs.start();
}

/**
 * The embedded database is one process's: with workers, each would have a database of its own
 * (in memory) or lose writes to the others (in one folder).
 */
function checkEmbeddedDatabase(settings: Settings, modules: readonly MountedModule[], workers: number): void {
  const needing = modules.find(({ module }) => module.database !== undefined);
  if (workers > 1 && needing !== undefined && settings.database.url === undefined) {
    throw invalidConfiguration(
      `WEB_CONCURRENCY=${settings.webConcurrency} runs ${workers} processes, and "${needing.module.name}" keeps data in the embedded database, which takes one: set DATABASE_URL, or WEB_CONCURRENCY=1`,
    );
  }
}

/**
 * `main.js migrate` (npm run migrate, the Kubernetes Job): migrates every module's schema and
 * exits, 0 when all are at their last migration, 1 with one line when one cannot be.
 */
async function migrateOnly(settings: Settings, modules: MountedModule[]): Promise<void> {
  const logger = pino({ level: settings.logLevel });
  const app = await buildApp({ modules, logger, database: settings.database, jobs: settings.jobs });
  try {
    for (const { module } of modules) {
      const schema = app.platform.versionOf(module);
      if (schema === undefined) continue;
      const state = await app.platform.migrate(module);
      process.stdout.write(
        `${module.name}: schema ${schema.schema} at migration ${state.database} (this code knows ${state.code})${state.ran.length > 0 ? `; ran ${state.ran.join(', ')}` : '; nothing to run'}\n`,
      );
    }
  } finally {
    await app.close();
  }
}

/**
 * Secure by default: a module whose routes declare scopes is not served with no one to check
 * tokens. Checked here rather than in buildApp, which the build and the tests call without an issuer.
 */
function checkAuthentication(app: FastifyInstance, settings: Settings): void {
  if (settings.auth !== undefined) return;
  const unguarded = scopesWithoutVerifier(app);
  if (unguarded === undefined) return;
  throw invalidConfiguration(
    `"${unguarded.owner}" has routes that need scopes (${unguarded.scopes}): set AUTH_ISSUER and AUTH_AUDIENCE, or AUTH_DISABLED=true for local development`,
  );
}

main().catch((error: unknown) => {
  const oneLine = error instanceof ConfigError || error instanceof MigrationError;
  process.stderr.write(`${oneLine ? error.message : String(error)}\n`);
  // Exit outright: a cluster worker's IPC channel would otherwise keep it alive, and its
  // primary would never learn that it failed to start.
  process.exit(1);
});
