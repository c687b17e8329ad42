import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@simple-rest/testing';

/** The compiled entry point `npm start` runs, or another build of it (CI: the image's bundle). */
export const ENTRY_POINT = process.env.SERVICE_ENTRY_POINT
  ? resolve(process.env.SERVICE_ENTRY_POINT)
  : fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface RunningService {
  readonly child: ChildProcess;
  readonly url: string;
  /** Every JSON log line so far. */
  readonly logs: Record<string, unknown>[];
  /** Resolves with the exit code (or the signal that ended the process). */
  readonly exited: Promise<number | NodeJS.Signals>;
}

/**
 * Starts the real entry point, as `npm start` does, on a free loopback port, and resolves once
 * it listens. `nodeArgs` go before the script (a preload, say).
 */
export async function startService(
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  entryPoint = ENTRY_POINT,
): Promise<RunningService> {
  if (!existsSync(entryPoint)) throw new Error(`${entryPoint} is missing: run npm run build (or bundle) first`);
  const child = spawn(process.execPath, [...nodeArgs, entryPoint], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | NodeJS.Signals);
  const logs: Record<string, unknown>[] = [];
  let pending = '';
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        const address = /^Server listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(String(entry.msg));
        if (address?.[1]) resolve(address[1]);
      }
    });
    void exited.then((code) => reject(new Error(`the service exited (${code}) before listening`)));
  });
  return { child, url: await listening, logs, exited };
}

/** Runs the entry point to its end and returns what it printed; for start-up failures. */
export async function runToExit(env: Record<string, string>, entryPoint = ENTRY_POINT) {
  const child = spawn(process.execPath, [entryPoint], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code] = await once(child, 'exit');
  return { code: code as number, stdout, stderr };
}

/** Waits up to 10 s until the service has written `count` log lines with this message. */
export async function waitForLog(service: RunningService, message: string, count: number): Promise<void> {
  await waitFor(() => service.logs.filter((line) => line.msg === message).length >= count, {
    what: `${count} "${message}" lines`,
    intervalMs: 100,
  });
}
