import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import closeWithGrace from 'close-with-grace';
import type { Logger } from 'pino';
import { SHUTDOWN_MESSAGE } from './shutdown.js';

/**
 * The primary of WEB_CONCURRENCY > 1: forks the workers, which share the port; replaces a
 * worker that dies after it has started listening (one that dies before is a start-up
 * failure, and ends the primary rather than looping); on SIGTERM or SIGINT asks every worker
 * to drain, waits for all of them, and exits 0 if all exited 0.
 */
export function runPrimary(count: number, logger: Logger, shutdownTimeoutMs: number): void {
  let stopping = false;
  const listened = new Set<number>();
  cluster.on('listening', (worker) => {
    listened.add(worker.id);
    logger.info({ workerPid: worker.process.pid }, 'worker listening');
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!listened.has(worker.id)) {
      logger.fatal({ workerPid: worker.process.pid, code, signal }, 'worker failed to start, exiting');
      stopping = true;
      process.exitCode = 1;
      for (const other of workers()) other.kill('SIGTERM');
      return;
    }
    logger.warn({ workerPid: worker.process.pid, code, signal }, 'worker died, starting another');
    cluster.fork();
  });

  for (let started = 0; started < count; started++) cluster.fork();
  logger.info({ workers: count }, 'primary started');

  // Workers get shutdownTimeoutMs each; the primary waits a little longer so that a worker
  // which times out reports it (exit 1) before the primary's own deadline.
  closeWithGrace(
    {
      delay: shutdownTimeoutMs + 2000,
      logger: { error: (message: string) => logger.error(message) },
      // An empty event loop means every worker is gone (a failed start): keep that exit code.
      skip: ['beforeExit'],
    },
    async ({ signal, err }) => {
      if (err) logger.fatal({ err }, 'uncaught error in the primary, exiting');
      stopping = true;
      const running = workers();
      logger.info({ signal, workers: running.length }, 'signal received: draining every worker');
      const exits = running.map((worker) => once(worker, 'exit') as Promise<[number | null, string | null]>);
      for (const worker of running) worker.send(SHUTDOWN_MESSAGE);
      const codes = await Promise.all(exits);
      logger.info({ codes: codes.map(([code]) => code) }, 'every worker exited');
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
      if (err) throw err;
      if (codes.some(([code]) => code !== 0)) throw new Error('a worker did not shut down cleanly');
    },
  );
}

function workers(): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
}
