// Route metrics alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { metricsPlugin } from '../../../src/rest/plugins/metrics.js';

test('each request is counted in the histogram by method, route template and status', async (t) => {
  const app = Fastify();
  await app.register(metricsPlugin);
  app.get('/:name/', async () => 'ok');
  t.after(() => app.close());
  await app.inject({ url: '/Kalimaha/' });
  await app.inject({ url: '/Ann/' });
  const exposition = await app.metrics.client.register.metrics();
  assert.match(
    exposition,
    /^http_request_duration_seconds_count\{method="GET",route="\/:name\/",status_code="200"\} 2$/m,
  );
  assert.match(exposition, /^process_resident_memory_bytes \d+$/m);
});
