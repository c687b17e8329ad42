import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { mountModule, testIssuer } from '@simple-rest/testing';
import type { InjectOptions } from 'fastify';
import module from '../../src/index.js';

// Tokens from an issuer of the test's own, as the service would take them from AUTH_ISSUER's.
const issuer = await testIssuer();
const authorization = `Bearer ${await issuer.token(['template-module:write'])}`;

/** The module in the real host; `write` sends a request with the write scope's token. */
async function mount(t: TestContext, settings: Record<string, string> = {}) {
  const app = await mountModule(module, { settings, auth: issuer.auth });
  t.after(() => app.close());
  const write = (request: InjectOptions) => app.inject({ ...request, headers: { ...request.headers, authorization } });
  return Object.assign(app, { write });
}

const url = (path: string) => `${module.defaultPrefix}/items/${path}`;

test('PUT creates (201, with Location) then replaces (200); GET reads one or all, as JSON', async (t) => {
  const app = await mount(t);
  const created = await app.write({ method: 'PUT', url: url('milk/'), payload: { text: 'Buy milk' } });
  assert.equal(created.statusCode, 201);
  assert.equal(created.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(created.headers.location, url('milk/'));
  assert.deepEqual(created.json(), { id: 'milk', text: 'Buy milk' });
  const replaced = await app.write({ method: 'PUT', url: url('milk/'), payload: { text: 'Buy oat milk' } });
  assert.equal(replaced.statusCode, 200);
  assert.equal(replaced.headers.location, undefined);
  assert.deepEqual((await app.inject({ url: url('milk/') })).json(), { id: 'milk', text: 'Buy oat milk' });
  const all = await app.inject({ url: url(''), headers: { accept: 'text/plain' } });
  assert.equal(all.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(all.json(), [{ id: 'milk', text: 'Buy oat milk' }]);
});

test('DELETE answers 204, then 404 problem JSON', async (t) => {
  const app = await mount(t);
  await app.write({ method: 'PUT', url: url('milk/'), payload: { text: 'Buy milk' } });
  const deleted = await app.write({ method: 'DELETE', url: url('milk/') });
  assert.equal(deleted.statusCode, 204);
  assert.equal(deleted.body, '');
  const again = await app.write({ method: 'DELETE', url: url('milk/') });
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
  assert.equal((await app.write({ method: 'PUT', url: url('a/'), payload: { text: 'one' } })).statusCode, 201);
  const full = await app.write({ method: 'PUT', url: url('b/'), payload: { text: 'two' } });
  assert.equal(full.statusCode, 409);
  assert.equal(full.json<{ detail: string }>().detail, 'The store holds its limit of 1 items: delete one first');
  const other = await mount(t);
  assert.deepEqual((await other.inject({ url: url('') })).json(), []);
});

test('a body of the wrong type is 400 naming the field, never stored as text', async (t) => {
  const app = await mount(t);
  const res = await app.write({ method: 'PUT', url: url('a/'), payload: { text: 5 } });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json<{ detail: string }>().detail, 'body/text must be string');
});

test('a write without a token is 401, with a token lacking the scope 403; reads need none', async (t) => {
  const app = await mount(t);
  const put = { method: 'PUT', url: url('a/'), payload: { text: 'one' } } as const;
  const anonymous = await app.inject(put);
  assert.equal(anonymous.statusCode, 401);
  assert.equal(anonymous.headers['www-authenticate'], 'Bearer realm="simple-rest", scope="template-module:write"');
  const reader = `Bearer ${await issuer.token([])}`;
  const refused = await app.inject({ ...put, headers: { authorization: reader } });
  assert.equal(refused.statusCode, 403);
  assert.equal((await app.inject({ url: url('') })).statusCode, 200);
});

test("an invalid TEMPLATE_MODULE_MAX_ITEMS is refused with the service's one-line error", async () => {
  await assert.rejects(mountModule(module, { settings: { TEMPLATE_MODULE_MAX_ITEMS: 'zero' } }), {
    message:
      'Invalid configuration: TEMPLATE_MODULE_MAX_ITEMS="zero" is not allowed: expected an integer from 1 to 1000000',
  });
});
