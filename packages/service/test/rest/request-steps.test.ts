// The composition of cross-cutting steps into one synchronous hook each.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { fixedHeaders, onRequestSteps, onSendSteps } from '../../src/rest/request-steps.js';

test('request steps run in order before the handler; send steps pass the payload along', async (t) => {
  const app = Fastify();
  const order: string[] = [];
  app.addHook(
    'onRequest',
    onRequestSteps([
      () => order.push('first'),
      (_request, reply) => {
        order.push('second');
        reply.header('x-step', 'second');
      },
    ]),
  );
  app.addHook(
    'onSend',
    onSendSteps([
      (_request, _reply, payload) => `${String(payload)}+a`,
      (_request, _reply, payload) => `${String(payload)}+b`,
    ]),
  );
  app.get('/', async () => {
    order.push('handler');
    return 'body';
  });
  t.after(() => app.close());
  const res = await app.inject({ url: '/' });
  assert.deepEqual(order, ['first', 'second', 'handler']);
  assert.equal(res.headers['x-step'], 'second');
  assert.equal(res.body, 'body+a+b');
});

test('a step that throws fails the request through the error handler, and the app keeps serving', async (t) => {
  const app = Fastify();
  app.setErrorHandler((_error, _request, reply) => reply.code(500).send('handled'));
  app.addHook(
    'onRequest',
    onRequestSteps([
      (request) => {
        if (request.url === '/throws') throw new Error('step failed');
      },
    ]),
  );
  app.get('/throws', async () => 'never');
  app.get('/fine', async () => 'fine');
  t.after(() => app.close());
  const failed = await app.inject({ url: '/throws' });
  assert.equal(failed.statusCode, 500);
  assert.equal(failed.body, 'handled');
  assert.equal((await app.inject({ url: '/fine' })).body, 'fine');
});

test('fixed headers are set as given', async (t) => {
  const app = Fastify();
  app.addHook('onRequest', onRequestSteps([fixedHeaders({ 'x-one': '1', 'x-two': '2' })]));
  app.get('/', async () => 'ok');
  t.after(() => app.close());
  const res = await app.inject({ url: '/' });
  assert.equal(res.headers['x-one'], '1');
  assert.equal(res.headers['x-two'], '2');
});
