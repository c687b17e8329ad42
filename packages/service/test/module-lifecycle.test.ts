import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import blueprint from '@simple-rest/blueprint';
import type { RestModule } from '@simple-rest/module-contract';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/rest/app.js';
import { drainAndClose } from '../src/shutdown.js';
import { capturingLogger } from './support/app.js';

const TIMEOUTS = { readyMs: 50, closeMs: 100 };

/** The blueprint with lifecycle hooks, mounted at /a and /b, with the log captured. */
async function appWith(t: TestContext, hooks: Pick<RestModule, 'ready' | 'close'>) {
  const { logger, lines } = capturingLogger();
  const module: RestModule = { ...blueprint, ...hooks };
  const app: FastifyInstance = await buildApp({
    modules: [
      { module, prefix: '/a', settings: {} },
      { module, prefix: '/b', settings: {} },
    ],
    logger,
    lifecycleTimeouts: TIMEOUTS,
  });
  t.after(() => app.close());
  return { app, lines };
}

test("/readyz follows a module's ready(): 503 naming the module while it throws (why in the log only), 200 once it resolves", async (t) => {
  let reachable = false;
  const { app, lines } = await appWith(t, {
    ready: () => {
      if (!reachable) throw new Error('database unreachable');
    },
  });
  const unready = await app.inject({ url: '/readyz' });
  assert.equal(unready.statusCode, 503);
  assert.deepEqual(unready.json(), {
    status: 'not ready',
    modules: [{ name: '@simple-rest/blueprint', reason: 'not ready: see the service log' }],
  });
  // A driver's words can name users and hosts: they go to the log, never to a caller.
  assert.ok(!unready.body.includes('unreachable'));
  assert.ok(lines.some((line) => line.msg === 'module not ready' && line.reason === 'database unreachable'));
  assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'liveness does not depend on modules');
  reachable = true;
  assert.deepEqual((await app.inject({ url: '/readyz' })).json(), { status: 'ready' });
});

test('a ready() that hangs is given up on after the limit: 503, not a stuck probe', async (t) => {
  const { app, lines } = await appWith(t, { ready: () => new Promise(() => undefined) });
  const started = Date.now();
  const res = await app.inject({ url: '/readyz' });
  assert.ok(Date.now() - started >= TIMEOUTS.readyMs);
  assert.equal(res.statusCode, 503);
  assert.deepEqual(res.json().modules, [{ name: '@simple-rest/blueprint', reason: 'not ready: see the service log' }]);
  assert.ok(lines.some((line) => line.msg === 'module not ready' && line.reason === 'no answer within 50 ms'));
});

test('close() is called once, at shutdown, after the request in flight is answered', async (t) => {
  const events: string[] = [];
  const { app } = await appWith(t, { close: () => void events.push('closed') });
  let arrived = () => {};
  const inFlight = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  app.get('/slow', async () => {
    arrived();
    await sleep(100);
    events.push('answered');
    return 'done';
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const slow = fetch(`http://127.0.0.1:${port}/slow`);
  // Shut down once the request is being handled (a fixed sleep lost the race on a busy machine).
  await inFlight;
  await drainAndClose(app, 0);
  assert.equal(await (await slow).text(), 'done');
  assert.deepEqual(events, ['answered', 'closed']);
});

for (const [what, close, reason] of [
  ['throws', () => Promise.reject(new Error('pool already ended')), 'pool already ended'],
  ['hangs', () => new Promise<void>(() => undefined), 'no answer within 100 ms'],
] as const) {
  test(`a close() that ${what} is logged, and shutdown still finishes`, async (t) => {
    const { app, lines } = await appWith(t, { close });
    await app.ready();
    await app.close();
    const logged = lines.filter((line) => line.msg === 'module did not close');
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.reason, reason);
    assert.deepEqual(logged[0]?.prefixes, ['/a', '/b']);
  });
}

test('a module with create() gets a fresh instance per app, with its settings and a logger marked with its name', async (t) => {
  const { logger, lines } = capturingLogger();
  const opened: string[] = [];
  let instances = 0;
  const counter: RestModule = {
    name: '@acme/counter',
    version: '1.0.0',
    defaultPrefix: '/count',
    openapi: { tag: 'counter', description: 'Counts' },
    settings: { COUNTER_START: { type: 'integer', default: 0, description: 'where counting starts' } },
    create: ({ settings, log }) => {
      let count = Number(settings.COUNTER_START);
      instances += 1;
      const id = `instance ${instances}`;
      opened.push(id);
      log.info({ id }, 'counter created');
      return {
        routes: async (app) => {
          app.post('/', async () => ({ count: ++count }));
        },
        close: () => void opened.splice(opened.indexOf(id), 1),
      };
    },
  };
  const build = () =>
    buildApp({ modules: [{ module: counter, prefix: '/count', settings: { COUNTER_START: 10 } }], logger });
  const first = await build();
  assert.deepEqual((await first.inject({ method: 'POST', url: '/count/' })).json(), { count: 11 });
  assert.deepEqual((await first.inject({ method: 'POST', url: '/count/' })).json(), { count: 12 });
  await first.close();
  assert.deepEqual(opened, [], 'close() closes what that instance opened');
  // Built again in the same process: a new instance, from the start.
  const second = await build();
  t.after(() => second.close());
  assert.deepEqual((await second.inject({ method: 'POST', url: '/count/' })).json(), { count: 11 });
  assert.deepEqual(opened, ['instance 2']);
  const created = lines.filter((line) => line.msg === 'counter created');
  assert.deepEqual(
    created.map(({ module, id }) => ({ module, id })),
    [
      { module: '@acme/counter', id: 'instance 1' },
      { module: '@acme/counter', id: 'instance 2' },
    ],
  );
});
