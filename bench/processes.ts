// Starting, asking and stopping the servers a benchmark measures.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchServer } from './servers.js';

export interface StartOptions {
  /** Run the server on core 0, wrk taking core 1. */
  readonly pinned: boolean;
  /** Replaces `$OTLP` in the server's environment: the bench's span receiver. */
  readonly otlpUrl?: string;
}

/** Starts a server in a process group of its own, its output drained as a real pipe would be. */
export function start(server: BenchServer, port: number, { pinned, otlpUrl = '' }: StartOptions): ChildProcess {
  const command = server.command.map((part) => part.replace('$PORT', String(port)));
  const env = Object.fromEntries(
    Object.entries(server.env ?? {}).map(([name, value]) => [name, value.replace('$OTLP', otlpUrl)]),
  );
  const [file = '', ...args] = pinned ? ['/usr/bin/taskset', '-c', '0', ...command] : command;
  const child = spawn(file, args, {
    cwd: server.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...(server.user !== undefined && process.getuid?.() === 0 && { uid: server.user, gid: server.user }),
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(-(child.pid ?? 0), 'SIGKILL');
  await exited;
}

export function fetchOnce(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/**
 * Waits for the first 200 on `path`, asking every 2 ms for at most `limitMs`; resolves to the
 * milliseconds since `since`.
 */
export async function firstAnswer(
  server: BenchServer,
  port: number,
  since: number,
  path = '/',
  limitMs = 10_000,
): Promise<number> {
  while (performance.now() - since < limitMs) {
    const ok = await fetchOnce(port, path).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) return performance.now() - since;
    await sleep(2);
  }
  throw new Error(`${server.name} did not answer ${path} within ${limitMs} ms`);
}
