// Runs `npm run issuer` as a user's terminal would, until the test ends, and reads what it prints.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { TestContext } from 'node:test';
import { waitFor } from '../../packages/testing/src/index.js';

export interface PrintedIssuer {
  /** The settings it says to start the service with. */
  readonly settings: { AUTH_ISSUER: string; AUTH_AUDIENCE: string; AUTH_TOKEN_TYPE: string };
  /** The token of its `export TOKEN=` line. */
  readonly token: string;
  /** Everything it printed. */
  readonly printed: string;
}

/** `npm run --silent issuer -- --port 0` in `cwd`, with `MODULES=modules`; stopped when the test ends. */
export async function runIssuerCommand(
  t: TestContext,
  { cwd, env, modules }: { cwd?: string; env: NodeJS.ProcessEnv; modules: string },
): Promise<PrintedIssuer> {
  const issuer = spawn('npm', ['run', '--silent', 'issuer', '--', '--port', '0'], {
    ...(cwd && { cwd }),
    env: { ...env, MODULES: modules },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A group of its own: npm and the provider it runs stop together.
    detached: true,
  });
  t.after(() => process.kill(-(issuer.pid ?? 0), 'SIGTERM'));
  let printed = '';
  issuer.stdout.on('data', (chunk: Buffer) => {
    printed += chunk;
  });
  await waitFor(() => printed.includes('/token\n'), { what: 'npm run issuer printed its settings', timeoutMs: 60_000 });
  const settings = /AUTH_ISSUER=(\S+) AUTH_AUDIENCE=(\S+) AUTH_TOKEN_TYPE=(\S+) npm start/.exec(printed);
  assert.ok(settings, printed);
  const [, AUTH_ISSUER = '', AUTH_AUDIENCE = '', AUTH_TOKEN_TYPE = ''] = settings;
  const token = /export TOKEN=(\S+)/.exec(printed)?.[1] ?? '';
  return { settings: { AUTH_ISSUER, AUTH_AUDIENCE, AUTH_TOKEN_TYPE }, token, printed };
}
