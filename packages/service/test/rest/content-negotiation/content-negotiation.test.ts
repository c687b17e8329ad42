// Content negotiation alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import Fastify from 'fastify';
import contentNegotiation from '../../../src/rest/content-negotiation/step.js';
import { stepHooks } from '../../../src/rest/steps.js';

async function bareApp(t: TestContext) {
  const app = Fastify();
  app.addHook('onSend', stepHooks([contentNegotiation({ corsOrigins: '*' })]).onSend);
  app.get('/text', async () => 'Hallo!');
  app.get('/varied', async (_request, reply) => reply.header('vary', 'Origin').send('Hallo!'));
  app.get('/object', async () => ({ status: 'ok' }));
  app.get('/refused', async (_request, reply) => reply.code(400).type('text/plain').send('no'));
  t.after(() => app.close());
  return app;
}

test('plain text by default; {"message": …} to a client that prefers JSON; Vary: Accept on both', async (t) => {
  const app = await bareApp(t);
  const text = await app.inject({ url: '/text', headers: { accept: 'text/html, */*;q=0.8' } });
  assert.equal(text.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(text.body, 'Hallo!');
  assert.equal(text.headers.vary, 'Accept');
  const json = await app.inject({ url: '/text', headers: { accept: 'text/plain;q=0.5, application/json' } });
  assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(json.json(), { message: 'Hallo!' });
  assert.equal(json.headers.vary, 'Accept');
});

test('Accept is appended to a Vary that another plugin set', async (t) => {
  const app = await bareApp(t);
  assert.equal((await app.inject({ url: '/varied' })).headers.vary, 'Origin, Accept');
});

test('answers that are not a 200 in plain text are left alone', async (t) => {
  const app = await bareApp(t);
  for (const url of ['/object', '/refused']) {
    const res = await app.inject({ url, headers: { accept: 'application/json' } });
    assert.equal(res.headers.vary, undefined, url);
  }
  assert.equal((await app.inject({ url: '/refused', headers: { accept: 'application/json' } })).body, 'no');
});

test('an Accept that cannot prefer JSON gets the text, with Vary: Accept', async (t) => {
  const app = await bareApp(t);
  for (const accept of ['text/plain', 'text/*', '*/*', 'image/png, text/html']) {
    const res = await app.inject({ url: '/text', headers: { accept } });
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8', accept);
    assert.equal(res.body, 'Hallo!', accept);
    assert.equal(res.headers.vary, 'Accept', accept);
  }
  const wildcardApplication = await app.inject({ url: '/text', headers: { accept: 'application/*' } });
  assert.deepEqual(wildcardApplication.json(), { message: 'Hallo!' });
});
