// The service's validators and serializers on a bare Fastify app: schemas are checked at start
// and compiled on a route's first request, and what that request gets is what every later one does.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import Fastify from 'fastify';
import { schemaController } from '../../../src/rest/validation/server-option.js';

const item = {
  params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] },
  querystring: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } },
  response: { 200: { type: 'object', properties: { id: { type: 'integer' }, tags: { type: 'array' } } } },
} as const;

async function bareApp(t: TestContext, schema: object = item) {
  const app = Fastify({ schemaController });
  app.get('/items/:id/', { schema }, async (request) => ({
    ...(request.params as object),
    ...(request.query as object),
    secret: 'not in the response schema',
  }));
  t.after(() => app.close());
  return app;
}

test('a route compiles on its first request: the first and every later answer validate, coerce and serialize alike', async (t) => {
  const app = await bareApp(t);
  await app.ready();
  for (let attempt = 0; attempt < 2; attempt++) {
    const ok = await app.inject({ url: '/items/7/?tags=a' });
    assert.equal(ok.statusCode, 200);
    // Coerced as text arrives ("7" a number, one tag an array), and serialized by the response
    // schema, which leaves out what it does not list.
    assert.equal(ok.body, '{"id":7,"tags":["a"]}');
    const bad = await app.inject({ url: '/items/0/' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().message, 'params/id must be >= 1');
  }
});

test('a first request that fails validation gets the same 400 as a later one', async (t) => {
  const app = await bareApp(t);
  await app.ready();
  const first = await app.inject({ url: '/items/x/' });
  const second = await app.inject({ url: '/items/x/' });
  assert.equal(first.statusCode, 400);
  assert.equal(first.body, second.body);
  assert.equal(first.json().message, 'params/id must be integer');
});

test('a schema that is not valid JSON Schema stops the start, as before, not a route its first request', async (t) => {
  for (const schema of [
    { params: { type: 'object', properties: { id: { type: 'strng' } } } },
    { querystring: { type: 'object', required: 'id' } },
    { response: { 200: { type: 'object', properties: { id: { minimum: 'one' } } } } },
  ]) {
    const app = await bareApp(t, schema);
    await assert.rejects(
      async () => app.ready(),
      /schema is invalid: schema\/properties\/id|schema is invalid: schema\/required/,
    );
  }
});
