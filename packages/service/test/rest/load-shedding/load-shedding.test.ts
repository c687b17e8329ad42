import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from '../../../src/rest/app.js';
import { buildTestApp, lagEventLoop, pollUntil } from '../../support/app.js';

test('under sustained loop lag, greetings get 503 with Retry-After, health keeps answering, and it recovers', async (t) => {
  const app = await buildTestApp(t, { maxEventLoopDelayMs: 20 });
  await app.ready();
  assert.equal((await app.inject({ url: '/' })).statusCode, 200);

  const lag = lagEventLoop(60);
  t.after(() => lag.stop());
  // Readings count from two one-second samples after ready (src/rest/load-shedding/plugin.ts).
  const shed = await pollUntil(app, '/blueprint/Kalimaha/', 503, 60);
  assert.ok(shed, 'greetings are shed under lag');
  assert.equal(shed.headers['retry-after'], '1');
  assert.equal(shed.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.deepEqual(shed.json(), { type: 'about:blank', title: 'Service Unavailable', status: 503 });
  assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
  assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);

  lag.stop();
  assert.ok(await pollUntil(app, '/', 200, 40), 'greetings are served again once the lag ends');
});

test('MAX_EVENT_LOOP_DELAY_MS=0 turns load shedding off, even under a lag past the default limit', async (t) => {
  const app = await buildTestApp(t, { maxEventLoopDelayMs: 0 });
  await app.ready();
  // Each turn lags past the 1000 ms default, so any positive limit (or 0 read as "use the
  // default") would shed within one one-second sample; answers must stay 200 throughout.
  const lag = lagEventLoop(1200);
  t.after(() => lag.stop());
  // inject() stays in microtasks: sleep between requests so that the loop, and the lag, turn.
  const started = Date.now();
  while (Date.now() - started < 3500) {
    assert.equal((await app.inject({ url: '/' })).statusCode, 200);
    await sleep(100);
  }
  lag.stop();
});

test('a start that blocks the loop is not read as overload: the first requests after ready are served', async (t) => {
  // A module whose routes take 1.5 s of the loop to register, as a slow start does.
  const slowStart = {
    name: 'slow-start',
    version: '1.0.0',
    defaultPrefix: '/slow',
    openapi: { tag: 'slow', description: 'A slow start' },
    routes: async (app: import('fastify').FastifyInstance) => {
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        // busy
      }
      app.get('/', async () => 'up');
    },
  } as const;
  const app = await buildApp({
    modules: [{ module: slowStart, prefix: '/slow', settings: {} }],
    maxEventLoopDelayMs: 20,
  });
  t.after(() => app.close());
  await app.ready();
  const started = Date.now();
  while (Date.now() - started < 2500) {
    assert.equal((await app.inject({ url: '/slow/' })).statusCode, 200);
    await sleep(100);
  }
});
