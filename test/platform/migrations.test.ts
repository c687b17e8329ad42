// The host's migrations against a real PostgreSQL and real processes: several instances starting
// at once migrate once; an edited migration stops the start with one line naming it; a database
// a newer version migrated still starts, and /version shows both numbers; `main.js migrate`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ENTRY_POINT, runToExit } from '../../packages/service/test/support/process.js';
import { installTicker, postgresFor, query, tickerService } from './support.js';

const MIGRATED = 'migrations applied';

test('3 instances starting at once on an empty database: the migrations run once, in one of them', async (t) => {
  const database = await postgresFor(t);
  if (!database) return;
  const services = await Promise.all([0, 1, 2].map(() => tickerService(t, { DATABASE_URL: database.url })));
  const ready = await Promise.all(services.map(({ url }) => fetch(`${url}/readyz`)));
  assert.deepEqual(
    ready.map(({ status }) => status),
    [200, 200, 200],
  );
  assert.deepEqual(await query(database.url, 'SELECT schema_name, version, file FROM simple_rest.migrations'), [
    { schema_name: 'ticker', version: 1, file: '001_runs.sql' },
  ]);
  const migrating = services.filter(({ logs }) => logs.some((line) => line.msg === MIGRATED));
  assert.equal(migrating.length, 1, 'one instance ran the migrations');
});

test('a migration edited after it ran stops the start with one line naming it', async (t) => {
  const database = await postgresFor(t);
  if (!database) return;
  const first = await tickerService(t, { DATABASE_URL: database.url });
  first.child.kill('SIGTERM');
  await first.exited;
  const edited = mkdtempSync(join(tmpdir(), 'simple-rest-migrations-'));
  t.after(() => rmSync(edited, { recursive: true, force: true }));
  cpSync(new URL('./fixtures/ticker/migrations/', import.meta.url), edited, { recursive: true });
  writeFileSync(join(edited, '001_runs.sql'), 'CREATE TABLE runs (fire_time timestamptz, pid integer, extra text);\n');
  const run = await runToExit({
    MODULES: '@fixtures/ticker',
    DATABASE_URL: database.url,
    TICKER_MIGRATIONS: `${pathToFileURL(edited).href}/`,
  });
  assert.equal(run.code, 1);
  assert.equal(
    run.stderr,
    '"@fixtures/ticker": migration 001_runs.sql was edited after it ran (its checksum differs from the one recorded); restore it and put the change in a new migration\n',
  );
});

test('a database one migration ahead of the code (a downgrade) starts, warns, and /version shows both numbers', async (t) => {
  const database = await postgresFor(t);
  if (!database) return;
  const first = await tickerService(t, { DATABASE_URL: database.url });
  first.child.kill('SIGTERM');
  await first.exited;
  // What the next version of the module would have left.
  await query(
    database.url,
    "INSERT INTO simple_rest.migrations (schema_name, version, file, checksum) VALUES ('ticker', 2, '002_later.sql', 'x')",
  );
  const downgraded = await tickerService(t, { DATABASE_URL: database.url });
  assert.equal((await fetch(`${downgraded.url}/readyz`)).status, 200);
  const version = (await (await fetch(`${downgraded.url}/version`)).json()) as { modules: unknown[] };
  assert.deepEqual(version.modules, [
    {
      name: '@fixtures/ticker',
      version: '1.0.0',
      prefix: '/ticker',
      database: { schema: 'ticker', migrations: { code: 1, database: 2 } },
    },
  ]);
  assert.ok(
    downgraded.logs.some(
      (line) => line.level === 40 && String(line.msg).startsWith('the database was migrated by a newer version'),
    ),
  );
  assert.equal((await fetch(`${downgraded.url}/ticker/count/`)).status, 200);
});

test('`main.js migrate` (npm run migrate, the Kubernetes Job) migrates and exits; a second run finds nothing to do', async (t) => {
  const database = await postgresFor(t);
  if (!database) return;
  installTicker();
  const migrate = () =>
    spawnSync(process.execPath, [ENTRY_POINT, 'migrate'], {
      env: { PATH: process.env.PATH ?? '', MODULES: '@fixtures/ticker', DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
  const first = migrate();
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout, '@fixtures/ticker: schema ticker at migration 1 (this code knows 1); ran 001_runs.sql\n');
  const second = migrate();
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stdout, '@fixtures/ticker: schema ticker at migration 1 (this code knows 1); nothing to run\n');
});
