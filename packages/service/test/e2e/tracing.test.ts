// Tracing, against the real process (the build, or the bundle under npm run test:bundle) and a
// loopback OTLP/HTTP receiver: spans for requests that carry a traceparent, that carry none and
// that carry a malformed one, the same ids in the log, and the last spans flushed on SIGTERM.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@simple-rest/testing';
import { startOtlpReceiver } from '../support/otlp-receiver.js';
import { type RunningService, startService, waitForLog } from '../support/process.js';

const RECORD_IMPORTS = fileURLToPath(new URL('../support/record-imports.mjs', import.meta.url));
// The tracer's code: tracing.js and the SDK in the build, tracing.mjs in the bundle.
const TRACER = /\/tracing\.m?js$|sdk-trace|fastify\/otel/m;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const SERVER = 2;

/** The access-log line of the request with this id, once the service has written it. */
function completedLine(running: RunningService, requestId: string) {
  return waitFor(() => running.logs.find((entry) => entry.reqId === requestId && entry.msg === 'request completed'), {
    what: `the access-log line of ${requestId}`,
  });
}

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let service: RunningService;

before(async () => {
  receiver = await startOtlpReceiver();
  service = await startService({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test,team=a%20b',
    // The SDK's own batch delay (5 s by default), shortened so the tests need not wait.
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
});
after(async () => {
  service.child.kill('SIGKILL');
  await receiver.close();
});

test('a request with a traceparent gets a server span, its child, named by the route template', async () => {
  const res = await fetch(`${service.url}/blueprint/Kalimaha/`, {
    headers: {
      traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`,
      tracestate: 'gateway=t61rcWkgMzE',
      'x-request-id': 'traced-1',
    },
  });
  assert.equal(await res.text(), 'Hallo Kalimaha!');
  const span = await receiver.waitForSpan((s) => s.traceId === TRACE_ID && s.kind === SERVER);
  assert.equal(span.parentSpanId, PARENT_ID);
  assert.equal(span.traceState, 'gateway=t61rcWkgMzE');
  assert.equal(span.name, 'GET /blueprint/:name/');
  assert.equal(span.attributes['http.request.method'], 'GET');
  assert.equal(span.attributes['http.route'], '/blueprint/:name/');
  assert.equal(span.attributes['http.response.status_code'], 200);
  assert.equal(span.attributes['url.scheme'], 'http');
  assert.equal(span.attributes['simple_rest.module.name'], '@simple-rest/blueprint');
  assert.match(String(span.attributes['simple_rest.module.version']), /^\d+\.\d+\.\d+/);
  assert.equal(span.resource['service.name'], '@simple-rest/service');
  assert.equal(span.resource['deployment.environment.name'], 'test');
  assert.equal(span.resource.team, 'a b');
  assert.ok(receiver.contentTypes.every((type) => type.startsWith('application/json')));
  const line = await completedLine(service, 'traced-1');
  assert.equal(line.trace_id, TRACE_ID);
  assert.equal(line.span_id, span.spanId);
});

test("the service's own routes are named by their template too, and their spans name no module", async () => {
  await fetch(`${service.url}/Ann/`, { headers: { 'x-request-id': 'traced-2' } });
  const line = await completedLine(service, 'traced-2');
  const span = await receiver.waitForSpan((s) => s.spanId === line.span_id);
  assert.equal(span.name, 'GET /:name/');
  assert.equal(span.attributes['simple_rest.module.name'], undefined);
});

test('a request without a traceparent starts a new trace; a malformed one is ignored, never an error', async () => {
  for (const [id, traceparent] of [
    ['fresh', undefined],
    ['malformed', 'not-a-traceparent'],
    ['zeros', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
  ] as const) {
    const res = await fetch(`${service.url}/blueprint/`, {
      headers: { 'x-request-id': id, ...(traceparent && { traceparent }) },
    });
    assert.equal(res.status, 200, id);
    const line = await completedLine(service, id);
    assert.match(String(line.trace_id), /^[0-9a-f]{32}$/, id);
    assert.notEqual(line.trace_id, '0'.repeat(32), id);
    const span = await receiver.waitForSpan((s) => s.spanId === line.span_id);
    assert.equal(span.traceId, line.trace_id, id);
    assert.equal(span.parentSpanId ?? '', '', id);
    // A module's root route: Fastify's template for it is the prefix (as in the metrics' labels).
    assert.equal(span.name, 'GET /blueprint', id);
  }
});

test('an error answer is a span with error status; a 4xx is not an error of the server', async () => {
  await fetch(`${service.url}/${'x'.repeat(101)}/`, { headers: { 'x-request-id': 'too-long' } });
  const line = await completedLine(service, 'too-long');
  const span = await receiver.waitForSpan((s) => s.spanId === line.span_id);
  assert.equal(span.attributes['http.response.status_code'], 400);
  assert.notEqual(span.status?.code, 2);
});

test('SIGTERM exports the last spans before the process exits', async () => {
  const last = await startService({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
  await fetch(`${last.url}/blueprint/`, {
    headers: { traceparent: `00-${'a'.repeat(32)}-${PARENT_ID}-01` },
  });
  // The batch processor would wait 5 s; the signal comes first.
  last.child.kill('SIGTERM');
  assert.equal(await last.exited, 0);
  const span = receiver.spans.find((s) => s.traceId === 'a'.repeat(32) && s.kind === SERVER);
  assert.equal(span?.name, 'GET /blueprint');
});

test('in cluster mode each worker traces, and SIGTERM to the primary flushes every worker', async () => {
  const cluster = await startService({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, WEB_CONCURRENCY: '2' });
  await waitForLog(cluster, 'worker listening', 2);
  const traceIds = Array.from({ length: 20 }, (_, i) => i.toString(16).padStart(32, 'd'));
  for (const traceId of traceIds) {
    // A new connection each time (no agent), so the primary deals them out to both workers.
    await new Promise((resolve, reject) => {
      get(
        `${cluster.url}/blueprint/`,
        { agent: false, headers: { traceparent: `00-${traceId}-${PARENT_ID}-01` } },
        (res) => res.resume().on('end', resolve),
      ).on('error', reject);
    });
  }
  cluster.child.kill('SIGTERM');
  assert.equal(await cluster.exited, 0);
  const served = receiver.spans.filter((s) => s.kind === SERVER && traceIds.includes(s.traceId));
  assert.deepEqual(new Set(served.map((s) => s.traceId)), new Set(traceIds));
  assert.equal(new Set(served.map((s) => s.resource['process.pid'])).size, 2);
});

test('with no OTEL_* variable, no OpenTelemetry code is loaded, no span is exported, and the trace id still reaches the log', async (t) => {
  const imports = join(mkdtempSync(join(tmpdir(), 'imports-')), 'resolved.txt');
  t.after(() => rmSync(dirname(imports), { recursive: true, force: true }));
  const plain = await startService({ RECORD_IMPORTS: imports }, ['--import', RECORD_IMPORTS]);
  try {
    await fetch(`${plain.url}/blueprint/`, {
      headers: { traceparent: `00-${'b'.repeat(32)}-${PARENT_ID}-01`, 'x-request-id': 'untraced' },
    });
    const line = await completedLine(plain, 'untraced');
    assert.equal(line.trace_id, 'b'.repeat(32));
    assert.equal(line.span_id, undefined);
  } finally {
    plain.child.kill('SIGTERM');
    await plain.exited;
  }
  assert.ok(!receiver.spans.some((s) => s.traceId === 'b'.repeat(32)));
  const resolved = readFileSync(imports, 'utf8');
  assert.match(resolved, /blueprint/, 'the recorder saw the service load its module');
  assert.doesNotMatch(resolved, TRACER);
});

test('with tracing on, the recorder sees OpenTelemetry loaded (so the test above can fail)', async (t) => {
  const imports = join(mkdtempSync(join(tmpdir(), 'imports-')), 'resolved.txt');
  t.after(() => rmSync(dirname(imports), { recursive: true, force: true }));
  const traced = await startService({ RECORD_IMPORTS: imports, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }, [
    '--import',
    RECORD_IMPORTS,
  ]);
  traced.child.kill('SIGTERM');
  await traced.exited;
  assert.match(readFileSync(imports, 'utf8'), TRACER);
});
