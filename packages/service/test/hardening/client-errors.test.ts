// Requests Node's HTTP parser refuses, on a real socket: they never reach Fastify, and are
// answered here like every other error (problem JSON, the headers of every answer, a request id,
// a log line), on a socket then closed.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { type TestContext, test } from 'node:test';
import type { RestModule } from '@simple-rest/module-contract';
import { buildApp } from '../../src/rest/app.js';
import { capturingLogger } from '../support/app.js';

const TIMEOUTS = { headersMs: 500, requestMs: 1000, keepAliveMs: 500, checkIntervalMs: 100 };

/** A route that reads a body, for the body that never arrives. */
const echo: RestModule = {
  name: '@acme/echo',
  version: '1.0.0',
  defaultPrefix: '/echo',
  openapi: { tag: 'echo', description: 'Echo' },
  routes: async (app) => {
    app.put('/', async (request) => request.body);
  },
};

async function listening(t: TestContext) {
  const { logger, lines } = capturingLogger();
  const app = await buildApp({
    modules: [{ module: echo, prefix: '/echo', settings: {} }],
    timeouts: TIMEOUTS,
    logger,
  });
  t.after(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { app, port, lines };
}

/** Writes `request` as raw bytes and reads the whole answer until the server closes. */
function exchange(
  port: number,
  request: Buffer | string,
): Promise<{ status: number; headers: Map<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = new Map(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

const CASES: Record<string, [Buffer | string, number]> = {
  'an unknown method': ['FROB / HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  'a non-ASCII byte in the path': [Buffer.from('GET /caf\xe9\x01/ HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'), 400],
  'Content-Length with Transfer-Encoding': [
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    400,
  ],
  'a head over 16 KB': [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
  'a body that does not arrive in time': [
    'PUT /echo/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a"',
    408,
  ],
};

test("requests Node's parser refuses get problem JSON, every answer's headers, a request id and a log line", async (t) => {
  const { app, port, lines } = await listening(t);
  const ordinary = await app.inject({ url: '/no/such/path/' });
  const fixed = [
    'x-content-type-options',
    'strict-transport-security',
    'content-security-policy',
    'access-control-allow-origin',
  ];
  for (const [why, [request, status]] of Object.entries(CASES)) {
    const answer = await exchange(port, request);
    assert.equal(answer.status, status, why);
    assert.equal(answer.headers.get('content-type'), 'application/problem+json; charset=utf-8', why);
    const problem = JSON.parse(answer.body) as { status: number; title: string; detail: string };
    assert.equal(problem.status, status, why);
    assert.equal(typeof problem.detail, 'string', why);
    for (const name of fixed) assert.equal(answer.headers.get(name), ordinary.headers[name], `${why}: ${name}`);
    assert.match(answer.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, why);
    const logged = lines.find((line) => line.requestId === answer.headers.get('x-request-id'));
    assert.equal(logged?.msg, 'request unreadable', why);
    assert.equal(logged?.status, status, why);
  }
  // The service stays up.
  assert.equal((await fetch(`http://127.0.0.1:${port}/Kalimaha/`)).status, 200);
});
