import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { test } from 'node:test';
import type { Prefix } from '@simple-rest/module-contract';
import { mountModule } from '@simple-rest/testing';
import blueprint from '../../src/index.js';

// The tutorial's test: the blueprint alone at /test, here inside the host that will serve it.
async function hostWithBlueprintAt(prefix: Prefix, t: TestContext) {
  const app = await mountModule(blueprint, { prefix });
  t.after(() => app.close());
  return app;
}

for (const prefix of ['/test', '/blueprint'] as const) {
  test(`GET ${prefix}/ answers Hallo! in plain text`, async (t) => {
    const app = await hostWithBlueprintAt(prefix, t);
    const res = await app.inject({ url: `${prefix}/` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.body, 'Hallo!');
  });

  test(`GET ${prefix}/Kalimaha/ answers Hallo Kalimaha!`, async (t) => {
    const app = await hostWithBlueprintAt(prefix, t);
    const res = await app.inject({ url: `${prefix}/Kalimaha/` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.body, 'Hallo Kalimaha!');
  });
}

test('a name past the limit is refused with 400, not served', async (t) => {
  const app = await hostWithBlueprintAt('/test', t);
  const res = await app.inject({ url: `/test/${'a'.repeat(101)}/` });
  assert.equal(res.statusCode, 400);
});

test('the module names itself from its package.json', async () => {
  assert.equal(blueprint.name, '@simple-rest/blueprint');
  assert.equal(blueprint.version, '0.1.0');
  assert.equal(blueprint.defaultPrefix, '/blueprint');
  assert.equal(blueprint.openapi.tag, 'blueprint');
});
