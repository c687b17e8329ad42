import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { loadModules, parseModuleList } from './modules.js';
import { buildApp } from './rest/app.js';
import { drainAndClose } from './shutdown.js';

/**
 * The process: read configuration, mount the configured modules, listen, and shut down
 * gracefully. Everything that can be wrong with the configuration fails here, before
 * listening, with one line on stderr and exit code 1.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const modules = await loadModules(parseModuleList(config.MODULES));

  // Asynchronous writes keep logging off the request path; pino flushes them on exit.
  const logger = pino({ level: config.LOG_LEVEL }, pino.destination({ sync: false }));
  const app = await buildApp({
    modules,
    logger,
    corsOrigins: config.CORS_ORIGINS,
    accessLog: config.ACCESS_LOG === 'on',
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
  });

  // A second signal exits at once; SHUTDOWN_TIMEOUT_MS after the first, the process exits 1.
  closeWithGrace(
    { delay: config.SHUTDOWN_TIMEOUT_MS, logger: { error: (message: string) => logger.error(message) } },
    async ({ signal, err }) => {
      if (err) {
        // State is unknown after an uncaught error: log it and exit non-zero for a restart.
        logger.fatal({ err }, 'uncaught error, exiting');
      } else {
        logger.info({ signal }, 'signal received');
        await drainAndClose(app, config.SHUTDOWN_DELAY_MS);
      }
      // Write out what the asynchronous destination still holds before the process exits.
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
      if (err) throw err; // close-with-grace exits 1 when this function throws
    },
  );

  await app.listen({ host: config.HOST, port: config.PORT });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
