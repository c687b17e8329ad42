// Request ids alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import requestIdOption from '../../../src/rest/request-id/server-option.js';
import requestIdStep from '../../../src/rest/request-id/step.js';
import { stepHooks } from '../../../src/rest/steps.js';

test("a well-formed caller's id is kept and echoed; anything else is replaced by a UUID", async (t) => {
  const app = Fastify(requestIdOption({} as never));
  app.addHook('onRequest', stepHooks([requestIdStep({ corsOrigins: '*' })]).onRequest);
  app.get('/', async (request) => request.id);
  t.after(() => app.close());
  const kept = await app.inject({ url: '/', headers: { 'x-request-id': 'trace-42.a:b_c' } });
  assert.equal(kept.headers['x-request-id'], 'trace-42.a:b_c');
  assert.equal(kept.body, 'trace-42.a:b_c');
  for (const offered of ['with space', 'x'.repeat(129), '<script>']) {
    const replaced = await app.inject({ url: '/', headers: { 'x-request-id': offered } });
    assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/, offered);
    assert.equal(replaced.body, replaced.headers['x-request-id'], offered);
  }
});
