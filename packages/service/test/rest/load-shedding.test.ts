import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helper.js';

/** Overload as it looks from inside: the loop keeps turning, but every turn lags by `lagMs`. */
function lagEventLoop(lagMs: number): { stop: () => void } {
  let running = true;
  void (async () => {
    while (running) {
      const until = Date.now() + lagMs;
      while (Date.now() < until) {
        // busy, as a saturated process is
      }
      await yieldToLoop();
    }
  })();
  return {
    stop: () => {
      running = false;
    },
  };
}

/** Asks `url` every 100 ms, at most `attempts` times, until it answers `status`. */
async function poll(app: FastifyInstance, url: string, status: number, attempts: number) {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const res = await app.inject({ url });
    if (res.statusCode === status) return res;
    await sleep(100);
  }
  return undefined;
}

test('under sustained loop lag, greetings get 503 with Retry-After, health keeps answering, and it recovers', async (t) => {
  const app = await buildTestApp(t, { maxEventLoopDelayMs: 20 });
  await app.ready();
  assert.equal((await app.inject({ url: '/' })).statusCode, 200);

  const lag = lagEventLoop(60);
  t.after(() => lag.stop());
  const shed = await poll(app, '/blueprint/Kalimaha/', 503, 40);
  assert.ok(shed, 'greetings are shed under lag');
  assert.equal(shed.headers['retry-after'], '1');
  assert.equal(shed.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.deepEqual(shed.json(), { type: 'about:blank', title: 'Service Unavailable', status: 503 });
  assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
  assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);

  lag.stop();
  assert.ok(await poll(app, '/', 200, 40), 'greetings are served again once the lag ends');
});

test('MAX_EVENT_LOOP_DELAY_MS=0 turns load shedding off', async (t) => {
  const app = await buildTestApp(t, { maxEventLoopDelayMs: 0 });
  await app.ready();
  const lag = lagEventLoop(60);
  t.after(() => lag.stop());
  await sleep(1500);
  assert.equal((await app.inject({ url: '/' })).statusCode, 200);
  lag.stop();
});
