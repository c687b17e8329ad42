// Readiness state alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { readinessPlugin } from '../../../src/rest/plugins/readiness.js';

test('while draining, every answer says Connection: close', async (t) => {
  const app = Fastify();
  await app.register(readinessPlugin);
  app.get('/', async () => 'ok');
  t.after(() => app.close());
  assert.equal(app.readiness.draining, false);
  assert.equal((await app.inject({ url: '/' })).headers.connection, 'keep-alive');
  app.readiness.draining = true;
  assert.equal((await app.inject({ url: '/' })).headers.connection, 'close');
});
