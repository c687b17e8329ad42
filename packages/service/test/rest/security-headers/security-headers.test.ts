// The security header set alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import securityHeaders, { SECURITY_HEADERS } from '../../../src/rest/security-headers/step.js';
import { stepHooks } from '../../../src/rest/steps.js';

test("helmet's headers for an API, on a route's answer and on Fastify's own 404", async (t) => {
  const app = Fastify();
  app.addHook('onRequest', stepHooks([securityHeaders({ corsOrigins: '*' })]).onRequest);
  app.get('/', async () => 'ok');
  t.after(() => app.close());
  for (const url of ['/', '/missing']) {
    const res = await app.inject({ url });
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', url);
    assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin', url);
    assert.equal(res.headers['cross-origin-embedder-policy'], undefined, url);
    assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/, url);
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, url);
  }
});

test('the set is computed once and cannot be changed afterwards', () => {
  assert.ok(Object.isFrozen(SECURITY_HEADERS));
  assert.equal(Object.keys(SECURITY_HEADERS).length, 12);
});
