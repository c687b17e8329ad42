// How buildApp composes: the plugins come before every route, so each sees all of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import corsPreflight from '../../src/rest/cors/plugin.js';
import errors from '../../src/rest/errors/plugin.js';
import trailingSlash from '../../src/rest/trailing-slash/plugin.js';
import { buildTestApp, recordingRoutes } from '../support/app.js';

test('every route is in the route table, in the OpenAPI document (unless hidden) and measured: no plugin comes after a route', async (t) => {
  const recorder = recordingRoutes();
  const app = await buildTestApp(t, {
    moduleList: '@simple-rest/blueprint,@simple-rest/dice,@simple-rest/notes',
    auth: 'disabled',
    instrumentation: recorder.plugin,
  });
  await app.ready();
  const routes = recorder.routes.map(({ url, options }) => ({
    method: options.method,
    url,
    hidden: options.schema?.hide === true,
    options,
  }));
  const document = (await app.inject({ url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const checked = routes.filter((route) => ![route.method].flat().some((method) => method === 'OPTIONS'));
  assert.ok(checked.length > 15);
  for (const route of checked) {
    for (const method of [route.method].flat()) {
      const path = route.url.replace(/:[^/]+/g, 'x').replace(/\*$/, 'x');
      assert.ok(app.routeTable.at(path)?.methods.has(method), `${method} ${route.url} is not in the route table`);
      if (method === 'HEAD' || route.hidden) continue;
      const documented = route.url.replace(/:([^/]+)/g, '{$1}');
      const slashed = documented.endsWith('/') || documented.includes('.') ? documented : `${documented}/`;
      const operation =
        document.paths[documented]?.[method.toLowerCase()] ?? document.paths[slashed]?.[method.toLowerCase()];
      assert.ok(operation, `${method} ${route.url} is not in the OpenAPI document`);
    }
  }
  // Metrics: every route but OPTIONS has its own onResponse hook, which the metrics plugin adds.
  for (const route of checked.filter(({ method }) => method !== 'HEAD')) {
    assert.ok(
      [route.options.onResponse ?? []].flat().length > 0,
      `${String(route.method)} ${route.url} is not measured`,
    );
  }
});

test('a plugin registered before one it needs fails at start-up, naming what is missing', async (t) => {
  const outOfOrder: [(app: FastifyInstance) => FastifyInstance, RegExp][] = [
    [(app) => app.register(errors), /simple-rest-route-table/],
    [(app) => app.register(corsPreflight, { corsOrigins: '*' }), /simple-rest-route-table/],
    [(app) => app.register(trailingSlash), /simple-rest-authentication/],
  ];
  for (const [register, missing] of outOfOrder) {
    const app = Fastify();
    t.after(() => app.close());
    await assert.rejects(async () => register(app).ready(), missing);
  }
});
