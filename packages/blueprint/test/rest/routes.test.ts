import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import blueprint from '../../src/index.js';

// The tutorial's test: the blueprint on a bare app at /test, with nothing of the service.
async function bareAppWithBlueprintAt(prefix: string, t: { after: (fn: () => Promise<void>) => void }) {
  // Fastify's default maxParamLength (100 raw bytes) would 404 long names before validation.
  const app = Fastify({ maxParamLength: 1000 });
  await app.register(blueprint.routes, { prefix });
  t.after(() => app.close());
  return app;
}

for (const prefix of ['/test', '/blueprint']) {
  test(`GET ${prefix}/ answers Hallo! in plain text`, async (t) => {
    const app = await bareAppWithBlueprintAt(prefix, t);
    const res = await app.inject({ url: `${prefix}/` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.body, 'Hallo!');
  });

  test(`GET ${prefix}/Kalimaha/ answers Hallo Kalimaha!`, async (t) => {
    const app = await bareAppWithBlueprintAt(prefix, t);
    const res = await app.inject({ url: `${prefix}/Kalimaha/` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.body, 'Hallo Kalimaha!');
  });
}

test('a name past the limit is refused with 400, not served', async (t) => {
  const app = await bareAppWithBlueprintAt('/test', t);
  const res = await app.inject({ url: `/test/${'a'.repeat(101)}/` });
  assert.equal(res.statusCode, 400);
});

test('the module names itself from its package.json', async () => {
  assert.equal(blueprint.name, '@simple-rest/blueprint');
  assert.equal(blueprint.version, '0.1.0');
  assert.equal(blueprint.defaultPrefix, '/blueprint');
  assert.equal(blueprint.openapi.tag, 'blueprint');
});
