// Route metrics alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { Histogram, Registry } from 'prom-client';
import { buildApp } from '../../../src/rest/app.js';
import metrics, { boundSeries } from '../../../src/rest/metrics/plugin.js';

const count = (exposition: string, labels: string) =>
  new RegExp(`^http_request_duration_seconds_count\\{${labels}\\} (\\d+)$`, 'm').exec(exposition)?.[1];

test('each request is counted in the histogram by method, route template and status', async (t) => {
  const app = Fastify();
  app.get('/before', async () => 'not measured: registered before the plugin');
  await app.register(metrics);
  app.get('/:name/', async (request, reply) =>
    (request.params as { name: string }).name === 'bad' ? reply.code(400).send('no') : 'ok',
  );
  t.after(() => app.close());
  for (const url of ['/Kalimaha/', '/Ann/', '/bad/', '/before', '/missing']) await app.inject({ url });
  await app.inject({ method: 'HEAD', url: '/Ann/' });
  const exposition = await app.metricsRegistry.metrics();
  assert.equal(count(exposition, 'method="GET",route="/:name/",status_code="200",module=""'), '2');
  assert.equal(count(exposition, 'method="GET",route="/:name/",status_code="400",module=""'), '1');
  assert.match(exposition, /^# TYPE http_request_duration_seconds histogram$/m);
  assert.match(exposition, /^# HELP http_request_duration_seconds request duration in seconds$/m);
  assert.match(
    exposition,
    /^http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/:name\/",status_code="200",module=""\} \d+$/m,
  );
  assert.doesNotMatch(exposition, /route="\/before"|method="HEAD"|route="\/missing"|__unknown__/);
  assert.match(exposition, /^process_resident_memory_bytes \d+$/m);
});

test('the duration observed is the time the answer took', async (t) => {
  const app = Fastify();
  await app.register(metrics);
  app.get('/slow', async () => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    return 'ok';
  });
  t.after(() => app.close());
  await app.inject({ url: '/slow' });
  const sum =
    /^http_request_duration_seconds_sum\{method="GET",route="\/slow",status_code="200",module=""\} ([\d.e-]+)$/m.exec(
      await app.metricsRegistry.metrics(),
    )?.[1];
  assert.ok(Number(sum) >= 0.025 && Number(sum) < 5, `sum ${sum}`);
});

test('requests no route takes (404, 405, 308) are counted under one route label, whatever their path', async (t) => {
  const app = await buildApp({ modules: [] });
  t.after(() => app.close());
  for (const url of ['/missing/a', '/missing/b', `/${'x'.repeat(50)}/y/`]) await app.inject({ url });
  await app.inject({ method: 'POST', url: '/' });
  await app.inject({ url: '/Kalimaha' });
  const exposition = await app.metricsRegistry.metrics();
  assert.equal(count(exposition, 'method="GET",route="\\(unrouted\\)",status_code="404",module=""'), '3');
  assert.equal(count(exposition, 'method="POST",route="\\(unrouted\\)",status_code="405",module=""'), '1');
  assert.equal(count(exposition, 'method="GET",route="\\(unrouted\\)",status_code="308",module=""'), '1');
  assert.doesNotMatch(exposition, /missing|xxxx/);
});

test("a bound series writes what prom-client's own observe writes: the exposition is the same", async () => {
  const labelNames = ['method', 'route', 'status_code', 'module'] as const;
  const bound = new Registry();
  const stock = new Registry();
  const histogram = (registry: Registry) => new Histogram({ name: 'd', help: 'h', labelNames, registers: [registry] });
  const fast = histogram(bound);
  const reference = histogram(stock);
  const series = [
    { method: 'GET', route: '/:name/', status_code: 200, module: '' },
    { method: 'PUT', route: '/notes/:id/', status_code: 201, module: '@simple-rest/notes' },
  ];
  const observers = series.map((labels) => boundSeries(fast, labels));
  // Below the first bucket, on a bound, between, and past the last (only +Inf holds it).
  const values = [0.0001, 0.005, 0.007, 0.3, 2.5, 11, 0.05];
  for (const [index, labels] of series.entries()) {
    for (const value of values) {
      observers[index]?.(value * (index + 1));
      reference.observe(labels, value * (index + 1));
    }
  }
  assert.equal(await bound.metrics(), await stock.metrics());
  assert.match(
    await bound.metrics(),
    /^d_count\{method="PUT",route="\/notes\/:id\/",status_code="201",module="@simple-rest\/notes"\} 7$/m,
  );
});
