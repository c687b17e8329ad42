// The tracer in-process: a module's outgoing fetch carries the trace on, and a 5xx marks the span.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import blueprint from '@simple-rest/blueprint';
import type { RestModule } from '@simple-rest/module-contract';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/rest/app.js';
import { startTracing, type Tracing } from '../src/tracing.js';
import { startOtlpReceiver } from './support/otlp-receiver.js';

const SERVER = 2;
const CLIENT = 3;
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let tracing: Tracing;
let app: FastifyInstance;
const downstreamHeaders: IncomingHttpHeaders[] = [];
const downstream = createServer((request, response) => {
  downstreamHeaders.push(request.headers);
  response.end('downstream');
});

before(async () => {
  receiver = await startOtlpReceiver();
  // The SDK's batch delay (5 s by default), read from the environment when the tracer starts.
  process.env.OTEL_BSP_SCHEDULE_DELAY = '50';
  downstream.listen(0, '127.0.0.1');
  await once(downstream, 'listening');
  const downstreamUrl = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/`;
  tracing = startTracing(
    {
      tracesUrl: `${receiver.url}/v1/traces`,
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    },
    { name: '@simple-rest/service', version: '0.1.0' },
  );
  const caller: RestModule = {
    ...blueprint,
    name: '@acme/caller',
    version: '2.3.4',
    openapi: { tag: 'caller', description: 'calls another service' },
    routes: async (scope) => {
      scope.get('/call/', async () => `${await (await fetch(downstreamUrl)).text()} answered`);
      scope.get('/call-with-http/', async () => {
        await new Promise((resolve, reject) => {
          get(downstreamUrl, { agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject);
        });
        return 'called';
      });
      scope.get('/fail/', async () => {
        throw new Error('the database is gone');
      });
    },
  };
  app = await buildApp({
    modules: [{ module: caller, prefix: '/caller', settings: {} }],
    instrumentation: tracing.plugin,
  });
});

after(async () => {
  await app.close();
  await tracing.shutdown();
  await receiver.close();
  downstream.close();
});

test("a module's outgoing fetch carries the request's trace on, as a client span's child", async () => {
  const res = await app.inject({
    url: '/caller/call/',
    headers: { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01` },
  });
  assert.equal(res.body, 'downstream answered');
  const [outgoing] = downstreamHeaders;
  const [, traceId, parentId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(String(outgoing?.traceparent)) ?? [];
  assert.equal(traceId, TRACE_ID);
  const client = await receiver.waitForSpan((s) => s.spanId === parentId);
  assert.equal(client.kind, CLIENT);
  const server = await receiver.waitForSpan((s) => s.traceId === TRACE_ID && s.kind === SERVER);
  assert.equal(server.name, 'GET /caller/call/');
  assert.equal(server.attributes['simple_rest.module.name'], '@acme/caller');
  assert.equal(server.attributes['simple_rest.module.version'], '2.3.4');
});

test('a 5xx sets the server span status to error; the client sees only the status', async () => {
  const res = await app.inject({ url: '/caller/fail/', headers: { 'x-request-id': 'failing' } });
  assert.equal(res.statusCode, 500);
  assert.doesNotMatch(res.body, /database/);
  const server = await receiver.waitForSpan((s) => s.kind === SERVER && s.name === 'GET /caller/fail/');
  assert.equal(server.status?.code, 2);
  assert.equal(server.attributes['http.response.status_code'], 500);
});

// The channel that lets the host add headers before they are sent arrived in Node.js 22.12.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const httpIsAnnounced = major > 22 || (major === 22 && minor >= 12);

test(`a module's node:http request ${httpIsAnnounced ? 'carries the trace on' : 'carries no trace before Node.js 22.12'} (${process.version})`, async () => {
  const traceId = '1af7651916cd43dd8448eb211c80319c';
  downstreamHeaders.length = 0;
  const res = await app.inject({
    url: '/caller/call-with-http/',
    headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
  });
  assert.equal(res.body, 'called');
  const sent = downstreamHeaders[0]?.traceparent;
  if (httpIsAnnounced) assert.match(String(sent), new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  else assert.equal(sent, undefined);
});
