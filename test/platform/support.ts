// What the platform tests share: a PostgreSQL of their own, the fixture modules loadable by
// name, and the real service process.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RestModule } from '@simple-rest/module-contract';
import { type PostgresOptions, type PostgresServer, startPostgres } from '@simple-rest/testing';
import pg from 'pg';
import { type RunningService, startService } from '../../packages/service/test/support/process.js';

const NO_POSTGRES = 'PostgreSQL is not installed: apt-get install postgresql to run this test';

/** A PostgreSQL for this test, removed after it; skips (or in CI, with REQUIRE_POSTGRES=1, fails) without one. */
export async function postgresFor(t: TestContext, options: PostgresOptions = {}): Promise<PostgresServer | undefined> {
  const server = await startPostgres(options);
  if (server === undefined) {
    assert.notEqual(process.env.REQUIRE_POSTGRES, '1', NO_POSTGRES);
    t.skip(NO_POSTGRES);
    return undefined;
  }
  t.after(() => server.remove());
  return server;
}

/**
 * The fixture module `@fixtures/ticker`, installed by name (a link in node_modules) so that the
 * built service loads it from MODULES as it would any package.
 */
export function installTicker(): void {
  mkdirSync('node_modules/@fixtures', { recursive: true });
  try {
    symlinkSync(fileURLToPath(new URL('./fixtures/ticker', import.meta.url)), 'node_modules/@fixtures/ticker', 'dir');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** The ticker fixture, imported in this process. */
export async function ticker(): Promise<RestModule> {
  // A plain JavaScript package, as the service loads it: typed here by what it exports.
  const path: string = './fixtures/ticker/index.js';
  return ((await import(path)) as { default: RestModule }).default;
}

/** The real service with the ticker mounted, killed when the test ends. */
export async function tickerService(t: TestContext, env: Record<string, string>): Promise<RunningService> {
  installTicker();
  const service = await startService({ MODULES: '@fixtures/ticker', MAX_EVENT_LOOP_DELAY_MS: '0', ...env });
  t.after(() => service.child.kill('SIGKILL'));
  return service;
}

/** Runs one query on its own connection. */
export async function query<Row>(url: string, sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}
