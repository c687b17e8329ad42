// What a request no route matches gets (the errors plugin's not-found handler, with the route
// table and the trailing-slash plugin), on a bare Fastify app as concerns.ts composes them: Flask's 308 and 405.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import Fastify from 'fastify';
import authentication from '../../../src/rest/auth/plugin.js';
import errors from '../../../src/rest/errors/plugin.js';
import routeTable from '../../../src/rest/route-table/plugin.js';
import trailingSlash from '../../../src/rest/trailing-slash/plugin.js';

async function bareApp(t: TestContext) {
  const app = Fastify();
  await app.register(routeTable);
  await app.register(errors);
  await app.register(authentication, { verifier: undefined });
  await app.register(trailingSlash);
  app.get('/:name/', async () => 'named');
  app.put('/items/:id/', async (request) => request.body);
  await app.register(
    async (scope) => {
      scope.route({ method: ['GET', 'POST'], url: '/', handler: async () => 'root' });
    },
    { prefix: '/mod' },
  );
  t.after(() => app.close());
  return app;
}

test('the slash-less path of a route redirects with 308 for the methods the route has, query kept', async (t) => {
  const app = await bareApp(t);
  for (const method of ['GET', 'HEAD'] as const) {
    const res = await app.inject({ method, url: '/Kalimaha?x=1' });
    assert.equal(res.statusCode, 308, method);
    assert.equal(res.headers.location, '/Kalimaha/?x=1', method);
  }
  const put = await app.inject({ method: 'PUT', url: '/items/7', payload: { a: 1 } });
  assert.equal(put.statusCode, 308);
  assert.equal(put.headers.location, '/items/7/');
  for (const method of ['GET', 'POST'] as const) {
    const root = await app.inject({ method, url: '/mod?y=2' });
    assert.equal(root.statusCode, 308, method);
    assert.equal(root.headers.location, '/mod/?y=2', method);
    assert.equal((await app.inject({ method, url: '/mod/' })).body, 'root');
  }
});

test('a method a path lacks, slashed or not, is 405 with Allow; a path no route matches is 404', async (t) => {
  const app = await bareApp(t);
  for (const url of ['/Kalimaha/', '/Kalimaha']) {
    const res = await app.inject({ method: 'POST', url });
    assert.equal(res.statusCode, 405, url);
    assert.equal(res.headers.allow, 'GET, HEAD, OPTIONS', url);
    assert.equal(res.json<{ detail: string }>().detail, 'POST is not allowed here; allowed: GET, HEAD, OPTIONS');
  }
  const items = await app.inject({ method: 'GET', url: '/items/7/' });
  assert.equal(items.statusCode, 405);
  assert.equal(items.headers.allow, 'OPTIONS, PUT');
  const root = await app.inject({ method: 'DELETE', url: '/mod/' });
  assert.equal(root.headers.allow, 'GET, HEAD, OPTIONS, POST');
  assert.equal((await app.inject({ url: '/a/b' })).statusCode, 404);
  assert.equal((await app.inject({ method: 'PUT', url: '/a/b/' })).statusCode, 404);
});

test('the target is re-encoded and stays on this site', async (t) => {
  const app = await bareApp(t);
  const res = await app.inject({ url: '/a%0D%0ASet-Cookie:%20x=1?q="<>' });
  assert.equal(res.headers.location, '/a%0D%0ASet-Cookie:%20x=1/?q=%22%3C%3E');
});
