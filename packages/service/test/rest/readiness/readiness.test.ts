// Readiness state alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import readiness from '../../../src/rest/readiness/plugin.js';
import connectionClose from '../../../src/rest/readiness/step.js';
import { stepHooks } from '../../../src/rest/steps.js';

test('while draining, every answer says Connection: close, even one begun before draining', async (t) => {
  const app = Fastify();
  await app.register(readiness);
  app.addHook('onSend', stepHooks([connectionClose({ corsOrigins: '*' })]).onSend);
  app.get('/', async () => 'ok');
  app.get('/drain-midway', async () => {
    app.readiness.draining = true;
    return 'ok';
  });
  t.after(() => app.close());
  assert.equal(app.readiness.draining, false);
  assert.equal((await app.inject({ url: '/' })).headers.connection, 'keep-alive');
  const midway = await app.inject({ url: '/drain-midway' });
  assert.equal(midway.headers.connection, 'close');
  assert.equal(midway.body, 'ok');
  assert.equal((await app.inject({ url: '/' })).headers.connection, 'close');
});
