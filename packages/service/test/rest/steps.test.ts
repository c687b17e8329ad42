// Steps composed into one synchronous hook each way (src/rest/steps.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { SOCKET_TIMEOUTS } from '../../src/config/index.js';
import { stepsOf } from '../../src/rest/concern.js';
import { CONCERNS } from '../../src/rest/concerns.js';
import { type Step, stepHooks } from '../../src/rest/steps.js';

function appWith(steps: readonly Step[]) {
  const app = Fastify();
  const { onRequest, onSend } = stepHooks(steps);
  app.addHook('onRequest', onRequest);
  app.addHook('onSend', onSend);
  return app;
}

test('steps run in order before the handler, fixed headers among them; send steps pass the payload along', async (t) => {
  const order: string[] = [];
  const app = appWith([
    { onRequest: () => void order.push('first') },
    { headers: { 'x-one': '1' } },
    { headers: { 'x-two': '2' }, onRequest: (_request, reply) => void reply.header('x-three', '3') },
    { onSend: (_request, _reply, payload) => `${String(payload)}+a` },
    { onSend: (_request, _reply, payload) => `${String(payload)}+b` },
  ]);
  app.get('/', async () => {
    order.push('handler');
    return 'body';
  });
  t.after(() => app.close());
  const res = await app.inject({ url: '/' });
  assert.deepEqual(order, ['first', 'handler']);
  assert.deepEqual(
    Object.keys(res.headers).filter((name) => name.startsWith('x-')),
    ['x-one', 'x-two', 'x-three'],
    'fixed headers keep their place among the steps',
  );
  assert.equal(res.body, 'body+a+b');
});

test('headers read from the request keep their place; a reply that has headers already gets them added after, as reply.header would', async (t) => {
  const app = Fastify();
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url === '/early') reply.header('x-early', 'first');
    done();
  });
  const { onRequest } = stepHooks([
    { headers: { 'x-one': '1', 'x-id': (request) => `id-${request.url}`, 'x-two': '2' } },
  ]);
  app.addHook('onRequest', onRequest);
  app.get('/*', async () => 'body');
  t.after(() => app.close());
  const custom = (headers: Record<string, unknown>) =>
    Object.entries(headers).filter(([name]) => name.startsWith('x-'));
  assert.deepEqual(custom((await app.inject({ url: '/plain' })).headers), [
    ['x-one', '1'],
    ['x-id', 'id-/plain'],
    ['x-two', '2'],
  ]);
  assert.deepEqual(custom((await app.inject({ url: '/early' })).headers), [
    ['x-early', 'first'],
    ['x-one', '1'],
    ['x-id', 'id-/early'],
    ['x-two', '2'],
  ]);
});

test('a step that throws fails the request through the error handler, and the app keeps serving', async (t) => {
  const app = appWith([
    {
      onRequest: (request) => {
        if (request.url === '/throws') throw new Error('step failed');
      },
    },
  ]);
  app.setErrorHandler((_error, _request, reply) => reply.code(500).send('handled'));
  app.get('/throws', async () => 'never');
  app.get('/fine', async () => 'fine');
  t.after(() => app.close());
  const failed = await app.inject({ url: '/throws' });
  assert.equal(failed.statusCode, 500);
  assert.equal(failed.body, 'handled');
  assert.equal((await app.inject({ url: '/fine' })).body, 'fine');
});

test("the service's steps: a HEAD request's method back, the request id, then the fixed headers, then what depends on the request", () => {
  const steps = stepsOf(CONCERNS, {
    corsOrigins: ['https://a.example'],
    accessLog: false,
    bodyLimitBytes: 1024,
    timeouts: SOCKET_TIMEOUTS,
    verifier: undefined,
    modules: [],
  });
  // Connection: close while draining (readiness/) first among them, but it acts as the answer is sent.
  assert.deepEqual(
    steps.map((step) => Object.keys(step).sort().join('+')),
    ['onSend', 'onRequest', 'headers', 'headers', 'headers+onRequest', 'onSend'],
  );
});
