// HEAD answered by the GET route, over inject() and over a real socket: the GET answer's
// headers without its body, the method HEAD wherever it is read, and a module's own HEAD route kept.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { RestModule } from '@simple-rest/module-contract';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/rest/app.js';
import { buildTestApp, capturingLogger } from '../../support/app.js';

const withOwnHead: RestModule = {
  name: 'own-head',
  version: '1.0.0',
  defaultPrefix: '/own',
  openapi: { tag: 'own', description: 'A module that answers HEAD itself' },
  routes: async (app: FastifyInstance) => {
    app.get('/', async () => 'from GET');
    app.head('/', async (_request, reply) => reply.header('x-answered-by', 'HEAD route').send());
    app.post('/posts/', async () => 'posted');
  },
};

test('HEAD gets the GET answer’s status and headers, without its body', async (t) => {
  const app = await buildTestApp(t);
  const get = await app.inject({ url: '/blueprint/Kalimaha/' });
  const head = await app.inject({ method: 'HEAD', url: '/blueprint/Kalimaha/' });
  assert.equal(head.statusCode, 200);
  assert.equal(head.body, '');
  const { 'x-request-id': _, ...getHeaders } = get.headers;
  const { 'x-request-id': __, ...headHeaders } = head.headers;
  assert.deepEqual(headHeaders, getHeaders);
  assert.equal(head.headers['content-length'], String(Buffer.byteLength('Hallo Kalimaha!')));
});

test('over a socket too, and the access log and the route see HEAD', async (t) => {
  const { logger, lines } = capturingLogger();
  const app = await buildApp({
    logger,
    accessLog: true,
    modules: [{ module: withOwnHead, prefix: '/own', settings: {} }],
  });
  t.after(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const answer = await new Promise<{ status: number | undefined; length: string | undefined; body: string }>(
    (resolve, reject) => {
      request({ host: '127.0.0.1', port, method: 'HEAD', path: '/' }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode, length: res.headers['content-length'], body }));
      })
        .on('error', reject)
        .end();
    },
  );
  assert.deepEqual(answer, { status: 200, length: String(Buffer.byteLength('Hallo from CORE!')), body: '' });
  const logged = lines.find((line) => line.msg === 'request completed');
  assert.equal(logged?.method, 'HEAD');
});

test("a module's own HEAD route answers HEAD; a path without GET still gets 405 with its Allow", async (t) => {
  const app = await buildApp({ modules: [{ module: withOwnHead, prefix: '/own', settings: {} }] });
  t.after(() => app.close());
  const own = await app.inject({ method: 'HEAD', url: '/own/' });
  assert.equal(own.statusCode, 200);
  assert.equal(own.headers['x-answered-by'], 'HEAD route');
  const notAllowed = await app.inject({ method: 'HEAD', url: '/own/posts/' });
  assert.equal(notAllowed.statusCode, 405);
  assert.equal(notAllowed.headers.allow, 'OPTIONS, POST');
  const allowed = await app.inject({ method: 'DELETE', url: '/blueprint/' });
  assert.equal(allowed.headers.allow, 'GET, HEAD, OPTIONS');
});
