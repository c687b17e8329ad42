import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP port free on 127.0.0.1 now: the system's choice, so parallel tests never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface WaitOptions {
  /** What is awaited, for the error: `"GET /readyz answers 200"`. */
  readonly what: string;
  /** 10 s unless given. */
  readonly timeoutMs?: number;
  /** Between two asks; 50 ms unless given. */
  readonly intervalMs?: number;
}

/**
 * Asks `probe` until it returns something other than undefined or false (a rejection counts as
 * not yet), and resolves to that; throws naming `what` when `timeoutMs` pass first. The one
 * poll-until loop of the tests, the bench and the scripts.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions,
): Promise<T> {
  const { what, timeoutMs = 10_000, intervalMs = 50 } = options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const result = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (result !== undefined && result !== false) return result;
    if (performance.now() >= deadline) throw new Error(`waited ${timeoutMs} ms for: ${what}`);
    await sleep(intervalMs);
  }
}
