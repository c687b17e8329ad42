import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, capturingLogger } from '../support/app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a well-formed X-Request-Id is kept, echoed and logged', async (t) => {
  const { logger, lines } = capturingLogger();
  const app = await buildTestApp(t, { logger });
  const res = await app.inject({ url: '/Kalimaha/', headers: { 'x-request-id': 'trace-42.a:b_c' } });
  assert.equal(res.headers['x-request-id'], 'trace-42.a:b_c');
  const access = lines.filter((line) => line.msg === 'request completed');
  assert.equal(access.length, 1);
  assert.deepEqual(
    { ...access[0], time: 0, pid: 0, hostname: '', durationMs: 0 },
    {
      level: 30,
      time: 0,
      pid: 0,
      hostname: '',
      reqId: 'trace-42.a:b_c',
      method: 'GET',
      path: '/Kalimaha/',
      status: 200,
      durationMs: 0,
      msg: 'request completed',
    },
  );
  assert.equal(typeof access[0]?.durationMs, 'number');
});

test('a missing, over-long or unsafe X-Request-Id is replaced by a generated UUID', async (t) => {
  const app = await buildTestApp(t);
  for (const offered of [undefined, 'x'.repeat(129), 'bad id', 'a\u00e9b', '<script>']) {
    const res = await app.inject({ url: '/', headers: offered === undefined ? {} : { 'x-request-id': offered } });
    assert.match(String(res.headers['x-request-id']), UUID, String(offered));
  }
});

test('every log line of a request carries its id', async (t) => {
  const { logger, lines } = capturingLogger();
  const app = await buildTestApp(t, { logger });
  await app.inject({ url: '/nope/x', headers: { 'x-request-id': 'req-1' } });
  const requestLines = lines.filter((line) => line.msg !== 'Server listening at' && 'method' in line);
  assert.ok(requestLines.length >= 2);
  for (const line of requestLines) assert.equal(line.reqId, 'req-1');
});

test('ACCESS_LOG=off writes no access line', async (t) => {
  const { logger, lines } = capturingLogger();
  const app = await buildTestApp(t, { logger, accessLog: false });
  await app.inject({ url: '/' });
  assert.deepEqual(
    lines.filter((line) => line.msg === 'request completed'),
    [],
  );
});

test("every log line of a request a module serves names the module; the service's own do not", async (t) => {
  const { logger, lines } = capturingLogger();
  const app = await buildTestApp(t, { logger });
  // A name too long: the rejection's line and the access line.
  await app.inject({ url: `/blueprint/${'a'.repeat(101)}/`, headers: { 'x-request-id': 'mod-1' } });
  await app.inject({ url: '/Kalimaha/', headers: { 'x-request-id': 'own-1' } });
  const moduleLines = lines.filter((line) => line.reqId === 'mod-1');
  assert.deepEqual(
    moduleLines.map((line) => line.msg),
    ['request rejected', 'request completed'],
  );
  for (const line of moduleLines) assert.equal(line.module, '@simple-rest/blueprint');
  for (const line of lines.filter((line) => line.reqId === 'own-1')) assert.equal(line.module, undefined);
});

test('an expected 4xx is logged as one line without a stack; a 5xx keeps its stack at error', async (t) => {
  const { logger, lines } = capturingLogger();
  const app = await buildTestApp(t, { logger });
  app.get('/boom', async () => {
    throw new Error('a bug');
  });
  await app.inject({ url: `/${'a'.repeat(101)}/`, headers: { 'x-request-id': 'bad-1' } });
  const rejected = lines.find((line) => line.reqId === 'bad-1' && line.msg === 'request rejected');
  assert.deepEqual(
    { ...rejected, time: 0, pid: 0, hostname: '' },
    {
      level: 30,
      time: 0,
      pid: 0,
      hostname: '',
      reqId: 'bad-1',
      method: 'GET',
      url: `/${'a'.repeat(101)}/`,
      status: 400,
      code: 'FST_ERR_VALIDATION',
      reason: 'params/name must NOT have more than 100 characters',
      msg: 'request rejected',
    },
  );
  await app.inject({ url: '/boom', headers: { 'x-request-id': 'boom-1' } });
  const failed = lines.find((line) => line.reqId === 'boom-1' && line.msg === 'request failed');
  assert.equal(failed?.level, 50);
  assert.match(String((failed?.err as { stack?: string } | undefined)?.stack), /^Error: a bug\n\s+at /);
});
