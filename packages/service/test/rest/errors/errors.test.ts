// Error answers alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify, { type FastifyError } from 'fastify';
import errors from '../../../src/rest/errors/plugin.js';
import routeTable from '../../../src/rest/route-table/plugin.js';
import { buildTestApp } from '../../support/app.js';

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

test('an unrouted request is answered before its body is read: 405 or 404, whatever the body or its type', async (t) => {
  const app = await buildTestApp(t);
  const send = (url: string, body: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType } });
  // POST / is served with GET and HEAD only: 405, not the 400 a parse would give.
  for (const body of ['{"__proto__":{}}', '{not json', `{"padding":"${'x'.repeat(650_000)}"}`]) {
    const res = await send('/', body);
    assert.equal(res.statusCode, 405, body.slice(0, 20));
    assert.equal(res.headers.allow, 'GET, HEAD, OPTIONS');
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  }
  // A path no route serves: 404, not 400 (parse), 415 (type) or 413 (size).
  assert.equal((await send('/no/such/path/', '{"__proto__":{}}')).statusCode, 404);
  assert.equal((await send('/no/such/path/', '<a/>', 'text/xml')).statusCode, 404);
  assert.equal((await send('/no/such/path/', 'x'.repeat(2 * 1024 * 1024))).statusCode, 404);
  const notFound = await send('/no/such/path/', '{');
  assert.equal(notFound.statusCode, 404);
  assert.ok(notFound.headers['x-request-id'], 'the steps ran: a request id');
  assert.equal(notFound.headers['x-content-type-options'], 'nosniff');
  // The slash-less form of a route still redirects, keeping the method and the unread body.
  assert.equal((await send('/blueprint', '{')).statusCode, 405);
});
