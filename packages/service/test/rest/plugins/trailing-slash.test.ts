// The trailing-slash redirect alone, on a bare Fastify app whose 404 handler asks it, as app.ts does.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import Fastify from 'fastify';
import { redirectToSlashed, trailingSlashPlugin } from '../../../src/rest/plugins/trailing-slash.js';

async function bareApp(t: TestContext) {
  const app = Fastify();
  await app.register(trailingSlashPlugin);
  app.setNotFoundHandler((request, reply) =>
    app.hasSlashedRoute(request) ? redirectToSlashed(request, reply) : reply.code(404).send('none'),
  );
  app.get('/:name/', async () => 'named');
  await app.register(
    async (scope) => {
      scope.get('/', async () => 'root');
    },
    { prefix: '/mod' },
  );
  t.after(() => app.close());
  return app;
}

test('GET and HEAD of a slash-less path redirect with 308 to the slashed route, query kept', async (t) => {
  const app = await bareApp(t);
  for (const method of ['GET', 'HEAD'] as const) {
    const res = await app.inject({ method, url: '/Kalimaha?x=1' });
    assert.equal(res.statusCode, 308, method);
    assert.equal(res.headers.location, '/Kalimaha/?x=1', method);
  }
  const root = await app.inject({ url: '/mod?y=2' });
  assert.equal(root.statusCode, 308);
  assert.equal(root.headers.location, '/mod/?y=2');
  assert.equal((await app.inject({ url: '/mod/' })).body, 'root');
});

test('other methods, and paths no slashed route matches, are not redirected', async (t) => {
  const app = await bareApp(t);
  assert.equal((await app.inject({ method: 'POST', url: '/Kalimaha' })).statusCode, 404);
  assert.equal((await app.inject({ url: '/a/b' })).statusCode, 404);
});

test('the target is re-encoded and stays on this site', async (t) => {
  const app = await bareApp(t);
  const res = await app.inject({ url: '/a%0D%0ASet-Cookie:%20x=1?q="<>' });
  assert.equal(res.headers.location, '/a%0D%0ASet-Cookie:%20x=1/?q=%22%3C%3E');
});
