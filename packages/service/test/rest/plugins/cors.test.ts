// The CORS plugin alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import Fastify from 'fastify';
import { corsPlugin } from '../../../src/rest/plugins/cors.js';

async function bareApp(t: TestContext, origins: '*' | readonly string[]) {
  const app = Fastify();
  await app.register(corsPlugin, { origins });
  app.get('/', async () => 'ok');
  t.after(() => app.close());
  return app;
}

test('origins "*": every origin may read, and the answer does not vary by origin', async (t) => {
  const app = await bareApp(t, '*');
  const res = await app.inject({ url: '/', headers: { origin: 'https://anywhere.example' } });
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers['access-control-expose-headers'], 'X-Request-Id');
  assert.equal(res.headers.vary, undefined);
});

test('a list: a listed origin is echoed, another gets no grant, and both say Vary: Origin', async (t) => {
  const app = await bareApp(t, ['https://a.example', 'https://b.example']);
  const listed = await app.inject({ url: '/', headers: { origin: 'https://b.example' } });
  assert.equal(listed.headers['access-control-allow-origin'], 'https://b.example');
  assert.equal(listed.headers.vary, 'Origin');
  const other = await app.inject({ url: '/', headers: { origin: 'https://evil.example' } });
  assert.equal(other.headers['access-control-allow-origin'], undefined);
  assert.equal(other.headers.vary, 'Origin');
});

test('a preflight allows GET and HEAD with Content-Type; a bare OPTIONS gets the same 204', async (t) => {
  const app = await bareApp(t, '*');
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/',
    headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' },
  });
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers['access-control-allow-methods'], 'GET, HEAD');
  assert.equal(preflight.headers['access-control-allow-headers'], 'Content-Type');
  assert.equal((await app.inject({ method: 'OPTIONS', url: '/' })).statusCode, 204);
});
