// The host's database service in the real host (buildApp) against a real PostgreSQL: a role per
// module that may read no other module's schema; a wrong password or a missing database is a
// 503 and an unready module, the driver's words kept for the log; one module holding all its
// connections leaves the others theirs.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { defineModule, type RestModule } from '@simple-rest/module-contract';
import { waitFor } from '@simple-rest/testing';
import pino from 'pino';
import { buildApp } from '../../packages/service/src/rest/app.js';
import { postgresFor, query, ticker } from './support.js';

const peeker: RestModule = defineModule({
  packageJson: new URL('./fixtures/peeker/package.json', import.meta.url),
  defaultPrefix: '/peeker',
  openapi: { tag: 'peeker', description: 'A second module' },
  database: { migrations: new URL('./fixtures/peeker/migrations/', import.meta.url) },
  create: () => ({ routes: async () => undefined }),
});

/** The host with the ticker and the peeker on `url`, and its log lines. */
async function host(url: string, database: { poolSize?: number; moduleConnections?: number } = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    }),
  );
  const app = await buildApp({
    modules: [
      { module: await ticker(), prefix: '/ticker', settings: {} },
      { module: peeker, prefix: '/peeker', settings: {} },
    ],
    logger,
    maxEventLoopDelayMs: 0,
    database: { url, ...database },
  });
  const databaseOf = (module: RestModule) => {
    const handle = app.platform.contextFor(module, app.log).database;
    assert.ok(handle);
    return handle;
  };
  return { app, lines, databaseOf };
}

test("each module connects as its own role: its own tables are its, another module's schema is refused", async (t) => {
  const server = await postgresFor(t);
  if (!server) return;
  const { app, databaseOf } = await host(server.url);
  t.after(() => app.close());
  await app.platform.prepare(app.log);
  const [tickerDb, peekerDb] = [databaseOf(await ticker()), databaseOf(peeker)];
  await peekerDb.query("INSERT INTO seen (what) VALUES ('mine')");
  assert.deepEqual(await peekerDb.query('SELECT what FROM seen'), [{ what: 'mine' }]);
  assert.deepEqual(await tickerDb.query('SELECT current_user AS role'), [{ role: 'ticker_module' }]);
  await assert.rejects(peekerDb.query('SELECT * FROM ticker.runs'), {
    code: '42501',
    message: 'permission denied for schema ticker',
  });
  await assert.rejects(tickerDb.query("INSERT INTO peeker.seen (what) VALUES ('theirs')"), {
    code: '42501',
    message: 'permission denied for schema peeker',
  });
  await assert.rejects(peekerDb.query('SELECT * FROM simple_rest.jobs'), {
    code: '42501',
    message: 'permission denied for schema simple_rest',
  });
  assert.deepEqual(await query(server.url, 'SELECT count(*)::int AS n FROM peeker.seen'), [{ n: 1 }]);
});

for (const [what, mangle] of [
  ['a wrong password', (url: string) => url.replace('postgres:right', 'postgres:wrong')],
  ['a database that does not exist', (url: string) => url.replace(/\/postgres$/, '/missing')],
] as const) {
  test(`${what}: 503 with a problem body, /readyz names the module without the driver's words, the log has them`, async (t) => {
    const server = await postgresFor(t, { password: 'right' });
    if (!server) return;
    const { app, lines } = await host(mangle(server.url));
    t.after(() => app.close());
    const res = await app.inject('/ticker/count/');
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual(res.json(), { type: 'about:blank', title: 'Service Unavailable', status: 503 });
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json(), {
      status: 'not ready',
      modules: [
        { name: '@fixtures/ticker', reason: 'not ready: see the service log' },
        { name: '@fixtures/peeker', reason: 'not ready: see the service log' },
      ],
    });
    const driverWords = what === 'a wrong password' ? 'password authentication failed' : 'does not exist';
    assert.ok(!ready.body.includes(driverWords));
    assert.ok(
      lines.some((line) => line.msg === 'module not ready' && String(line.reason).includes(driverWords)),
      'the driver says why, in the log',
    );
  });
}

test("one module holding all its share of connections leaves another module's queries theirs", async (t) => {
  const server = await postgresFor(t);
  if (!server) return;
  const { app, databaseOf } = await host(server.url, { poolSize: 4, moduleConnections: 2 });
  t.after(() => app.close());
  await app.platform.prepare(app.log);
  // Four slow requests to the ticker: two hold its two connections, two wait for them.
  let holdsDone = false;
  const holds = Promise.all([0, 1, 2, 3].map(() => app.inject('/ticker/hold/'))).then((answers) => {
    holdsDone = true;
    return answers;
  });
  await waitFor(
    async () =>
      (
        await query<{ n: number }>(
          server.url,
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(2)' AND state = 'active'",
        )
      )[0]?.n === 2,
    { what: 'the ticker to hold its two connections', intervalMs: 20 },
  );
  assert.deepEqual(await databaseOf(peeker).query('SELECT 1 AS answered'), [{ answered: 1 }]);
  assert.equal(holdsDone, false, "the peeker was answered while the ticker's requests still held their connections");
  assert.deepEqual(
    (await holds).map(({ statusCode }) => statusCode),
    [200, 200, 200, 200],
  );
});
