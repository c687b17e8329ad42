import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';

/** What the primary sends a worker to make it drain and exit, as a signal would. */
export const SHUTDOWN_MESSAGE = 'simple-rest:shutdown';

/**
 * The graceful half of shutdown: readiness turns 503 at once; after `delayMs` (time for a
 * load balancer to notice) the server stops accepting, closes idle keep-alive connections,
 * and resolves once the requests in flight have been answered.
 */
export async function drainAndClose(app: FastifyInstance, delayMs: number): Promise<void> {
  app.readiness.draining = true;
  app.log.info({ delayMs }, 'shutting down: readiness off');
  await sleep(delayMs);
  app.log.info('closing: no new connections, finishing requests in flight');
  await app.close();
  app.log.info('closed');
}
