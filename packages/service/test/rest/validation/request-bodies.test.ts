// Request bodies alone, on a bare Fastify app with the service's validators: what a write gets
// for a body it does not take.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import Fastify from 'fastify';
import type { ServerOptionSettings } from '../../../src/rest/concern.js';
import errors from '../../../src/rest/errors/plugin.js';
import routeTable from '../../../src/rest/route-table/plugin.js';
import requestBodies from '../../../src/rest/validation/plugin.js';
import validation from '../../../src/rest/validation/server-option.js';

const textBody = {
  type: 'object',
  properties: { text: { type: 'string' } },
  required: ['text'],
  additionalProperties: false,
} as const;

async function bareApp(t: TestContext, bodyLimitBytes = 1000) {
  const app = Fastify({ ...validation({ bodyLimitBytes } as ServerOptionSettings) });
  await app.register(routeTable);
  await app.register(errors);
  await app.register(requestBodies, { bodyLimitBytes });
  app.put(
    '/json/:n/',
    { schema: { body: textBody, params: { type: 'object', properties: { n: { type: 'integer' } } } } },
    async (request) => ({
      params: request.params,
      body: request.body,
    }),
  );
  app.put('/small/', { bodyLimit: 20, schema: { body: textBody } }, async (request) => request.body);
  app.put('/greedy/', { bodyLimit: 1_000_000, schema: { body: textBody } }, async (request) => request.body);
  app.post(
    '/text/',
    { schema: { consumes: ['text/plain'], body: { type: 'string' } } },
    async (request) => request.body,
  );
  app.patch(
    '/merge/',
    { schema: { consumes: ['application/merge-patch+json'], body: textBody } },
    async (request) => request.body,
  );
  app.post('/free/', async () => 'no schema, no check');
  app.get(
    '/search/',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer' } },
          additionalProperties: false,
        },
      },
    },
    async (request) => request.query,
  );
  t.after(() => app.close());
  return app;
}

const send = (method: 'PUT' | 'POST' | 'PATCH', url: string, payload: string, type = 'application/json') => ({
  method,
  url,
  payload,
  headers: { 'content-type': type },
});
const put = (url: string, payload: string, type?: string) => send('PUT', url, payload, type);

const detailOf = (res: { json(): unknown }) => (res.json() as { detail?: string }).detail;

test('a body is validated as sent: no coercion, no unknown property dropped; path parameters are still coerced', async (t) => {
  const app = await bareApp(t);
  const ok = await app.inject(put('/json/7/', '{"text":"hi"}'));
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { params: { n: 7 }, body: { text: 'hi' } });
  for (const [payload, detail] of [
    ['{"text":5}', 'body/text must be string'],
    ['{"text":true}', 'body/text must be string'],
    ['{}', "body must have required property 'text'"],
    ['{"text":"hi","extra":1}', 'body has an unknown property "extra"'],
    ['[]', 'body must be object'],
  ] as const) {
    const res = await app.inject(put('/json/7/', payload));
    assert.equal(res.statusCode, 400, payload);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(detailOf(res), detail, payload);
  }
});

test('an unknown query parameter is refused like an unknown body property, named, where the schema allows none', async (t) => {
  const app = await bareApp(t);
  const ok = await app.inject({ url: '/search/?limit=3' });
  assert.deepEqual(ok.json(), { limit: 3 });
  const res = await app.inject({ url: '/search/?limit=3&lmit=4' });
  assert.equal(res.statusCode, 400);
  assert.equal(detailOf(res), 'querystring has an unknown property "lmit"');
});

test('a content type the route does not take is 415, before the body is read; so is a charset other than UTF-8', async (t) => {
  const app = await bareApp(t);
  for (const [type, detail] of [
    ['text/plain', 'Content-Type must be application/json, not text/plain'],
    ['application/xml; charset=utf-8', 'Content-Type must be application/json, not application/xml'],
    ['application/json; charset=iso-8859-1', 'charset must be utf-8, not iso-8859-1'],
    [
      'application/json; charset=utf-16',
      'charset must be utf-16'.replace('must be utf-16', 'must be utf-8, not utf-16'),
    ],
  ] as const) {
    const res = await app.inject(put('/json/1/', '{"text":"caf\u00e9"}', type));
    assert.equal(res.statusCode, 415, type);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(detailOf(res), detail, type);
  }
  const missing = await app.inject({ method: 'PUT', url: '/json/1/', payload: Buffer.from('{"text":"x"}') });
  assert.equal(missing.statusCode, 415);
  assert.equal(detailOf(missing), 'Content-Type must be application/json; none was given');
  for (const type of ['application/json; charset=UTF-8', 'Application/JSON', 'application/json; charset=utf8']) {
    assert.equal((await app.inject(put('/json/1/', '{"text":"x"}', type))).statusCode, 200, type);
  }
});

test('a route takes the types its schema names in consumes; a +json type is parsed as JSON', async (t) => {
  const app = await bareApp(t);
  const text = await app.inject(send('POST', '/text/', 'hello', 'text/plain'));
  assert.equal(text.statusCode, 200);
  assert.equal(text.body, 'hello');
  const json = await app.inject(send('POST', '/text/', '"x"'));
  assert.equal(json.statusCode, 415);
  const merge = await app.inject(send('PATCH', '/merge/', '{"text":"x"}', 'application/merge-patch+json'));
  assert.equal(merge.statusCode, 200);
  assert.deepEqual(merge.json(), { text: 'x' });
  assert.equal((await app.inject(send('POST', '/free/', 'x', 'text/plain'))).statusCode, 200);
});

test('a body over the limit is 413: the service limit, or a route lower one; a route cannot raise it', async (t) => {
  const app = await bareApp(t, 100);
  const body = (length: number) => JSON.stringify({ text: 'x'.repeat(length - 11) });
  assert.equal(body(100).length, 100);
  assert.equal((await app.inject(put('/json/1/', body(100)))).statusCode, 200);
  const tooLarge = await app.inject(put('/json/1/', body(101)));
  assert.equal(tooLarge.statusCode, 413);
  assert.equal(tooLarge.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal((await app.inject(put('/small/', body(20)))).statusCode, 200);
  assert.equal((await app.inject(put('/small/', body(21)))).statusCode, 413);
  assert.equal((await app.inject(put('/greedy/', body(101)))).statusCode, 413);
});
