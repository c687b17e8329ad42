import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { mountModule } from '@simple-rest/testing';
import module from '../../src/index.js';

async function mount(t: TestContext, settings: Record<string, string> = {}) {
  const app = await mountModule(module, { settings });
  t.after(() => app.close());
  return app;
}

const url = (path: string) => `${module.defaultPrefix}/items/${path}`;

test('PUT creates (201) then replaces (200); GET reads one or all, as JSON', async (t) => {
  const app = await mount(t);
  const created = await app.inject({ method: 'PUT', url: url('milk/'), payload: { text: 'Buy milk' } });
  assert.equal(created.statusCode, 201);
  assert.equal(created.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(created.json(), { id: 'milk', text: 'Buy milk' });
  const replaced = await app.inject({ method: 'PUT', url: url('milk/'), payload: { text: 'Buy oat milk' } });
  assert.equal(replaced.statusCode, 200);
  assert.deepEqual((await app.inject({ url: url('milk/') })).json(), { id: 'milk', text: 'Buy oat milk' });
  const all = await app.inject({ url: url(''), headers: { accept: 'text/plain' } });
  assert.equal(all.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(all.json(), [{ id: 'milk', text: 'Buy oat milk' }]);
});

test('DELETE answers 204, then 404 problem JSON', async (t) => {
  const app = await mount(t);
  await app.inject({ method: 'PUT', url: url('milk/'), payload: { text: 'Buy milk' } });
  const deleted = await app.inject({ method: 'DELETE', url: url('milk/') });
  assert.equal(deleted.statusCode, 204);
  assert.equal(deleted.body, '');
  const again = await app.inject({ method: 'DELETE', url: url('milk/') });
  assert.equal(again.statusCode, 404);
  assert.equal(again.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.deepEqual(again.json(), {
    type: 'about:blank',
    title: 'Not Found',
    status: 404,
    detail: 'No item has the id milk',
  });
});

test('a new item past TEMPLATE_MODULE_MAX_ITEMS gets 409; each app has a store of its own', async (t) => {
  const app = await mount(t, { TEMPLATE_MODULE_MAX_ITEMS: '1' });
  assert.equal((await app.inject({ method: 'PUT', url: url('a/'), payload: { text: 'one' } })).statusCode, 201);
  const full = await app.inject({ method: 'PUT', url: url('b/'), payload: { text: 'two' } });
  assert.equal(full.statusCode, 409);
  assert.equal(full.json<{ detail: string }>().detail, 'The store holds its limit of 1 items: delete one first');
  const other = await mount(t);
  assert.deepEqual((await other.inject({ url: url('') })).json(), []);
});

test('a body of the wrong type is 400 naming the field, never stored as text', async (t) => {
  const app = await mount(t);
  const res = await app.inject({ method: 'PUT', url: url('a/'), payload: { text: 5 } });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json<{ detail: string }>().detail, 'body/text must be string');
});

test("an invalid TEMPLATE_MODULE_MAX_ITEMS is refused with the service's one-line error", async () => {
  await assert.rejects(mountModule(module, { settings: { TEMPLATE_MODULE_MAX_ITEMS: 'zero' } }), {
    message:
      'Invalid configuration: TEMPLATE_MODULE_MAX_ITEMS="zero" is not allowed: expected an integer from 1 to 1000000',
  });
});
