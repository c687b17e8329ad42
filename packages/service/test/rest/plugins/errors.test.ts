// Error answers alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify, { type FastifyError } from 'fastify';
import errors from '../../../src/rest/plugins/errors.js';
import routeTable from '../../../src/rest/plugins/route-table.js';

test('a 4xx becomes problem JSON with its message; a 5xx says only its status; a 404 says no route', async (t) => {
  const app = Fastify();
  await app.register(routeTable);
  await app.register(errors);
  app.get('/refused', async () => {
    throw Object.assign(new Error('the name is too long'), { statusCode: 400 }) as FastifyError;
  });
  app.get('/broken', async () => {
    throw new Error('secret detail');
  });
  t.after(() => app.close());

  const refused = await app.inject({ url: '/refused' });
  assert.equal(refused.statusCode, 400);
  assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.deepEqual(refused.json(), {
    type: 'about:blank',
    title: 'Bad Request',
    status: 400,
    detail: 'the name is too long',
  });
  const broken = await app.inject({ url: '/broken' });
  assert.deepEqual(broken.json(), { type: 'about:blank', title: 'Internal Server Error', status: 500 });
  assert.equal(broken.body.includes('secret'), false);
  assert.deepEqual((await app.inject({ url: '/nope' })).json(), {
    type: 'about:blank',
    title: 'Not Found',
    status: 404,
    detail: 'No route matches this method and path',
  });
});
