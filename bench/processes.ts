// Starting, waiting for and stopping the servers a benchmark measures.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { freePort, requestAsIs, waitFor } from '@simple-rest/testing';
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

/** Milliseconds from `since` to the first 200 on `/`, asked every 2 ms for at most 10 s. */
export async function firstAnswer(server: BenchServer, port: number, since: number): Promise<number> {
  await waitFor(async () => (await requestAsIs(`http://127.0.0.1:${port}`, '/')).statusCode === 200, {
    what: `${server.name} answers GET /`,
    intervalMs: 2,
  });
  return performance.now() - since;
}

/** Milliseconds from spawn to the first 200 of a server started for just that. */
export async function coldStartMs(server: BenchServer, options: StartOptions): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = start(server, port, options);
  try {
    return await firstAnswer(server, port, started);
  } finally {
    await stop(child);
  }
}

/** Peak resident memory (VmHWM) of the server's processes, in MB. */
export function peakRssMb(child: ChildProcess): number {
  const pids = execFileSync('pgrep', ['-g', String(child.pid)], { encoding: 'utf8' })
    .trim()
    .split('\n');
  const peaks = pids.map((pid) => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) / 1024;
  });
  return Math.max(...peaks);
}
