// Trace context in the logs: the parser alone, then the service's log lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceIdOf } from '../../../src/rest/logging/trace-context.js';
import { buildTestApp, capturingLogger } from '../../support/app.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const VALID = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

test('a valid traceparent gives its trace id; a missing or malformed one gives none', () => {
  assert.equal(traceIdOf({ traceparent: VALID }), TRACE_ID);
  assert.equal(traceIdOf({ traceparent: `01-${TRACE_ID}-00f067aa0ba902b7-00-future` }), TRACE_ID, 'a later version');
  for (const malformed of [
    undefined,
    '',
    'garbage',
    VALID.toUpperCase(),
    `ff-${TRACE_ID}-00f067aa0ba902b7-01`,
    `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
    `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
    `${VALID}-extra`,
    `00-${TRACE_ID.slice(1)}-00f067aa0ba902b7-01`,
  ]) {
    assert.equal(traceIdOf(malformed === undefined ? {} : { traceparent: malformed }), undefined, malformed);
  }
});

test("a request's log lines carry the caller's trace id; a malformed traceparent is ignored and served", async (t) => {
  const { logger, lines } = capturingLogger();
  const app = await buildTestApp(t, { logger });
  const traced = await app.inject({ url: '/Kalimaha/', headers: { traceparent: VALID, 'x-request-id': 'traced' } });
  assert.equal(traced.statusCode, 200);
  const malformed = await app.inject({
    url: '/Kalimaha/',
    headers: { traceparent: 'nonsense', 'x-request-id': 'plain' },
  });
  assert.equal(malformed.statusCode, 200);
  const completed = (reqId: string) => lines.find((line) => line.reqId === reqId && line.msg === 'request completed');
  assert.equal(completed('traced')?.trace_id, TRACE_ID);
  assert.equal(completed('plain')?.trace_id, undefined);
});
