// CORS alone, on a bare Fastify app: the step's headers (src/rest/cors/step.ts) and the
// preflights (src/rest/cors/plugin.ts), held to what @fastify/cors itself sends.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import cors from '@fastify/cors';
import Fastify from 'fastify';
import corsPreflight, { type CorsOrigins } from '../../../src/rest/cors/plugin.js';
import corsHeaders from '../../../src/rest/cors/step.js';
import routeTable from '../../../src/rest/route-table/plugin.js';
import { stepHooks } from '../../../src/rest/steps.js';

async function bareApp(t: TestContext, origins: CorsOrigins) {
  const app = Fastify();
  app.addHook('onRequest', stepHooks([corsHeaders({ corsOrigins: origins })]).onRequest);
  await app.register(routeTable);
  await app.register(corsPreflight, { corsOrigins: origins });
  app.get('/', async () => 'ok');
  app.route({
    method: ['PUT', 'DELETE'],
    url: '/items/:id/',
    schema: { headers: { type: 'object', properties: { 'If-Match': { type: 'string' } } } },
    handler: async () => 'ok',
  });
  app.post(
    '/items/',
    {
      schema: {
        response: {
          201: { headers: { Location: { type: 'string' } } },
          200: { headers: { type: 'object', properties: { ETag: { type: 'string' } } } },
        },
      },
    },
    async (_request, reply) => reply.code(201).header('location', '/items/1/').send('made'),
  );
  t.after(() => app.close());
  return app;
}

/** The same route with @fastify/cors itself, registered the plain way, for comparison. */
async function libraryApp(t: TestContext, origins: CorsOrigins) {
  const app = Fastify();
  await app.register(cors, {
    origin: origins === '*' ? '*' : [...origins],
    methods: ['GET', 'HEAD'],
    allowedHeaders: ['Content-Type', 'Authorization'],
    exposedHeaders: ['X-Request-Id'],
    strictPreflight: false,
  });
  app.get('/', async () => 'ok');
  t.after(() => app.close());
  return app;
}

const corsHeaderNames = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-') || name === 'vary'));

test('origins "*": every origin may read, and the answer does not vary by origin', async (t) => {
  const app = await bareApp(t, '*');
  const res = await app.inject({ url: '/', headers: { origin: 'https://anywhere.example' } });
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers['access-control-expose-headers'], 'X-Request-Id');
  assert.equal(res.headers.vary, undefined);
});

test("a route exposes the headers its answers document (a 201's Location, an ETag); the others only X-Request-Id", async (t) => {
  for (const origins of ['*', ['https://a.example']] as const) {
    const app = await bareApp(t, origins);
    const made = await app.inject({ method: 'POST', url: '/items/', headers: { origin: 'https://a.example' } });
    assert.equal(made.statusCode, 201);
    assert.equal(made.headers.location, '/items/1/');
    assert.equal(made.headers['access-control-expose-headers'], 'X-Request-Id, ETag, Location');
    const plain = await app.inject({ url: '/', headers: { origin: 'https://a.example' } });
    assert.equal(plain.headers['access-control-expose-headers'], 'X-Request-Id');
  }
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

test('every answer, preflight or not, carries the CORS headers @fastify/cors itself would set', async (t) => {
  const requests = [
    { method: 'GET', headers: {} },
    { method: 'GET', headers: { origin: 'https://a.example' } },
    { method: 'GET', headers: { origin: 'https://B.example' } },
    { method: 'GET', headers: { origin: 'https://evil.example' } },
    { method: 'GET', headers: { origin: 'null' } },
    { method: 'OPTIONS', headers: {} },
    { method: 'OPTIONS', headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' } },
    { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } },
  ] as const;
  for (const origins of ['*', ['https://a.example'], ['https://a.example', 'https://b.example']] as const) {
    const ours = await bareApp(t, origins);
    const theirs = await libraryApp(t, origins);
    for (const request of requests) {
      const [mine, library] = await Promise.all([
        ours.inject({ url: '/', ...request }),
        theirs.inject({ url: '/', ...request }),
      ]);
      const label = `${JSON.stringify(origins)} ${request.method} ${JSON.stringify(request.headers)}`;
      assert.equal(mine.statusCode, library.statusCode, label);
      const { vary, ...mineHeaders } = corsHeaderNames(mine.headers);
      const { vary: libraryVary, ...libraryHeaders } = corsHeaderNames(library.headers);
      assert.deepEqual(mineHeaders, libraryHeaders, label);
      // A preflight is answered per path (the delegator), for which @fastify/cors always says Vary: Origin.
      assert.equal(vary, request.method === 'OPTIONS' ? 'Origin' : libraryVary, label);
    }
  }
});

test('a preflight allows GET and HEAD with Content-Type and Authorization; a bare OPTIONS gets the same 204', async (t) => {
  const app = await bareApp(t, '*');
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/',
    headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' },
  });
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers['access-control-allow-methods'], 'GET, HEAD');
  assert.equal(preflight.headers['access-control-allow-headers'], 'Content-Type, Authorization');
  assert.equal((await app.inject({ method: 'OPTIONS', url: '/' })).statusCode, 204);
});

test("a preflight allows the path's own methods and the headers its routes declare; an unknown path allows none", async (t) => {
  const app = await bareApp(t, '*');
  const preflight = (url: string) =>
    app.inject({
      method: 'OPTIONS',
      url,
      headers: { origin: 'https://a.example', 'access-control-request-method': 'PUT' },
    });
  const items = await preflight('/items/42/?x=1');
  assert.equal(items.statusCode, 204);
  assert.equal(items.headers['access-control-allow-methods'], 'DELETE, PUT');
  assert.equal(items.headers['access-control-allow-headers'], 'Content-Type, Authorization, if-match');
  const unknown = await preflight('/nothing/here/');
  assert.equal(unknown.statusCode, 204);
  assert.equal(unknown.headers['access-control-allow-methods'], '');
});
