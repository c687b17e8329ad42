// What the host adds to every route of a module, wherever in the module the route is registered.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import type { RestModule } from '@simple-rest/module-contract';
import fp from 'fastify-plugin';
import { buildApp } from '../../../src/rest/app.js';
import { capturingLogger, recordingRoutes } from '../../support/app.js';

/** A module whose routes sit at its root and in a plugin of its own, one with its own child logger factory. */
const nested: RestModule = {
  name: '@acme/nested',
  version: '2.0.0',
  defaultPrefix: '/nested',
  openapi: { tag: 'nested', description: 'Routes below a plugin of their own' },
  routes: async (app) => {
    app.get('/', async () => 'root');
    await app.register(
      async (deeper) => {
        deeper.get('/item/', async () => 'item');
      },
      { prefix: '/deeper' },
    );
    await app.register(async (own) => {
      own.setChildLoggerFactory((logger, bindings, options) => logger.child({ ...bindings, own: true }, options));
      own.get('/own/', async () => 'own');
    });
  },
};

async function appWith(t: TestContext) {
  const { logger, lines } = capturingLogger();
  const { plugin, routes } = recordingRoutes();
  const app = await buildApp({
    logger,
    instrumentation: plugin,
    modules: [
      { module: nested, prefix: '/nested', settings: {} },
      // A prefix that begins like the other: found by segment, not by text.
      { module: { ...nested, name: '@acme/nested-too' }, prefix: '/nested-too', settings: {} },
    ],
  });
  t.after(() => app.close());
  return { app, lines, routes };
}

test("every route of a module, nested plugins' too, is tagged as served by it and documented under its tag", async (t) => {
  const { app, routes } = await appWith(t);
  await app.ready();
  const servedBy = (url: string) =>
    (routes.find((route) => route.url === url)?.options.config as { servedBy?: unknown } | undefined)?.servedBy;
  assert.deepEqual(servedBy('/nested/deeper/item/'), { name: '@acme/nested', version: '2.0.0' });
  assert.deepEqual(servedBy('/nested/own/'), { name: '@acme/nested', version: '2.0.0' });
  assert.deepEqual(servedBy('/nested-too/deeper/item/'), { name: '@acme/nested-too', version: '2.0.0' });
  const document = (await app.inject({ url: '/openapi.json' })).json() as {
    paths: Record<string, { get: { tags: string[]; operationId: string } }>;
  };
  assert.deepEqual(document.paths['/nested/deeper/item/']?.get.tags, ['nested']);
  assert.equal(document.paths['/nested/deeper/item/']?.get.operationId, 'nested.getItem');
  assert.equal(document.paths['/nested-too/deeper/item/']?.get.operationId, 'nested-too.getItem');
});

test("a module's request logs name it, unless the module chose its own child logger", async (t) => {
  const { app, lines } = await appWith(t);
  const urls = ['/nested/deeper/item/', '/nested-too/deeper/item/', '/nested/own/'];
  for (const [index, url] of urls.entries()) {
    const res = await app.inject({ url, headers: { 'x-request-id': `request-${index}` } });
    assert.equal(res.statusCode, 200, url);
  }
  const linesOf = (url: string) => lines.filter((line) => line.reqId === `request-${urls.indexOf(url)}`);
  assert.ok(linesOf('/nested/deeper/item/').length > 0);
  for (const line of linesOf('/nested/deeper/item/')) assert.equal(line.module, '@acme/nested');
  for (const line of linesOf('/nested-too/deeper/item/')) assert.equal(line.module, '@acme/nested-too');
  assert.ok(linesOf('/nested/own/').length > 0);
  for (const line of linesOf('/nested/own/')) assert.deepEqual([line.module, line.own], [undefined, true]);
});

test('a module whose routes plugin is wrapped with fastify-plugin is still mounted at its prefix', async (t) => {
  const shared: RestModule = {
    name: '@acme/shared',
    version: '1.0.0',
    defaultPrefix: '/shared',
    openapi: { tag: 'shared', description: 'Routes in a plugin that skips encapsulation' },
    routes: fp(async (app) => {
      app.get('/', async () => 'shared root');
      app.get('/:name/', async () => 'shared by name');
    }),
  };
  const app = await buildApp({ modules: [{ module: shared, prefix: '/elsewhere', settings: {} }] });
  t.after(() => app.close());
  assert.equal((await app.inject({ url: '/elsewhere/' })).body, 'shared root');
  assert.equal((await app.inject({ url: '/elsewhere/Kalimaha/' })).body, 'shared by name');
  // Not at its default prefix: there, the service's own greeting takes the name.
  assert.equal((await app.inject({ url: '/shared/' })).body, 'Hallo shared from CORE!');
});

test("a 405 on a module's path names the module in its log line; the service's own paths name none", async (t) => {
  const { app, lines } = await appWith(t);
  const moduleRes = await app.inject({
    method: 'DELETE',
    url: '/nested/deeper/item/',
    headers: { 'x-request-id': 'm' },
  });
  assert.equal(moduleRes.statusCode, 405);
  const hostRes = await app.inject({ method: 'DELETE', url: '/healthz', headers: { 'x-request-id': 'h' } });
  assert.equal(hostRes.statusCode, 405);
  const refusal = (reqId: string) => lines.find((line) => line.reqId === reqId && line.msg === 'method not allowed');
  assert.equal(refusal('m')?.module, '@acme/nested');
  assert.equal(refusal('h')?.allow, 'GET, HEAD, OPTIONS');
  assert.equal(refusal('h')?.module, undefined);
});
