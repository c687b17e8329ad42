import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../support/app.js';

test('GET /healthz answers 200 {"status":"ok"}', async (t) => {
  const app = await buildTestApp(t);
  const res = await app.inject({ url: '/healthz' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(res.json(), { status: 'ok' });
});

test('GET /readyz answers 200 until draining, then 503 while /healthz stays 200', async (t) => {
  const app = await buildTestApp(t);
  const ready = await app.inject({ url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'ready' });
  app.readiness.draining = true;
  const draining = await app.inject({ url: '/readyz' });
  assert.equal(draining.statusCode, 503);
  assert.equal(draining.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(draining.json(), { status: 'draining' });
  assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
});

test('GET /version names the service and each mounted module', async (t) => {
  const app = await buildTestApp(t);
  const res = await app.inject({ url: '/version' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    name: '@simple-rest/service',
    version: '0.1.0',
    modules: [{ name: '@simple-rest/blueprint', version: '0.1.0', prefix: '/blueprint' }],
  });
});

test('operations routes win over the trailing-slash redirect; with a slash they greet', async (t) => {
  const app = await buildTestApp(t);
  for (const path of ['/healthz', '/readyz', '/version', '/metrics', '/openapi.json']) {
    assert.equal((await app.inject({ url: path })).statusCode, 200, path);
  }
  // Swagger UI is mounted under /docs, so its root gets the same canonical slash.
  const docs = await app.inject({ url: '/docs' });
  assert.equal(docs.statusCode, 308);
  assert.equal(docs.headers.location, '/docs/');
  const person = await app.inject({ url: '/healthz/' });
  assert.equal(person.statusCode, 200);
  assert.equal(person.body, 'Hallo healthz from CORE!');
});

test('GET /metrics counts requests by route, method and status, with latency and process metrics', async (t) => {
  const app = await buildTestApp(t);
  await app.inject({ url: '/Kalimaha/' });
  await app.inject({ url: '/blueprint/' });
  await app.inject({ url: `/${'a'.repeat(101)}/` });
  const res = await app.inject({ url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const metrics = res.body;
  assert.match(metrics, /^# TYPE http_request_duration_seconds histogram$/m);
  assert.match(
    metrics,
    /^http_request_duration_seconds_count\{method="GET",route="\/:name\/",status_code="200",module=""\} 1$/m,
  );
  assert.match(
    metrics,
    /^http_request_duration_seconds_count\{method="GET",route="\/:name\/",status_code="400",module=""\} 1$/m,
  );
  assert.match(
    metrics,
    /^http_request_duration_seconds_count\{method="GET",route="\/blueprint",status_code="200",module="@simple-rest\/blueprint"\} 1$/m,
  );
  assert.match(
    metrics,
    /^http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/:name\/",status_code="200",module=""\} \d+$/m,
  );
  assert.match(metrics, /^process_resident_memory_bytes \d+$/m);
  assert.match(metrics, /^nodejs_eventloop_lag_seconds /m);
});

/** Every method+path the router serves, read from Fastify's own route tree. */
function servedRoutes(app: FastifyInstance): Set<string> {
  const served = new Set<string>();
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│├└─\s]*?)(?:[├└]── )(.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) served.add(`${method} ${stack.join('')}`);
  }
  return served;
}

test('the OpenAPI document describes exactly the routes served', async (t) => {
  const app = await buildTestApp(t);
  const res = await app.inject({ url: '/openapi.json' });
  assert.equal(res.statusCode, 200);
  const spec = res.json() as { openapi: string; info: { version: string }; paths: Record<string, object> };
  assert.equal(spec.openapi, '3.1.0');
  assert.equal(spec.info.version, '0.1.0');

  const documented = new Set(
    Object.entries(spec.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replaceAll(/\{(\w+)\}/g, ':$1')}`),
    ),
  );
  const served = new Set(
    [...servedRoutes(app)].filter(
      (route) =>
        // HEAD mirrors GET; Swagger UI's own pages and assets are not part of the API; a
        // module's slashless root only redirects to its documented root; CORS answers OPTIONS.
        !route.startsWith('HEAD ') &&
        !route.startsWith('OPTIONS ') &&
        !/^GET \/docs(\/|$)/.test(route) &&
        route !== 'GET /blueprint',
    ),
  );
  assert.deepEqual([...documented].sort(), [...served].sort());
  assert.deepEqual([...served].sort(), [
    'GET /',
    'GET /:name/',
    'GET /blueprint/',
    'GET /blueprint/:name/',
    'GET /healthz',
    'GET /metrics',
    'GET /openapi.json',
    'GET /readyz',
    'GET /version',
  ]);
});

test('module routes are tagged with the module and documented under its prefix', async (t) => {
  const app = await buildTestApp(t);
  const spec = (await app.inject({ url: '/openapi.json' })).json();
  assert.deepEqual(spec.paths['/blueprint/{name}/'].get.tags, ['blueprint']);
  assert.deepEqual(Object.keys(spec.paths['/blueprint/{name}/'].get.responses['200'].content), [
    'text/plain',
    'application/json',
  ]);
  assert.ok(spec.tags.some((tag: { name: string }) => tag.name === 'blueprint'));
});

test('GET /docs serves the interactive documentation, loaded when first asked for', async (t) => {
  const app = await buildTestApp(t);
  const page = await app.inject({ url: '/docs/' });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(page.body, /swagger-ui/);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.match(String(page.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  const script = /src="\.\/(static\/[\w.-]+\.js)"/.exec(page.body)?.[1];
  assert.ok(script, 'the page loads a script of its own');
  const asset = await app.inject({ url: `/docs/${script}` });
  assert.equal(asset.statusCode, 200);
  assert.match(String(asset.headers['content-type']), /javascript/);
  assert.ok(asset.rawPayload.length > 1000);
  const settings = await app.inject({ url: '/docs/json' });
  assert.deepEqual(settings.json(), (await app.inject({ url: '/openapi.json' })).json());
  const missing = await app.inject({ url: '/docs/static/nothing-here.js' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8');
});
