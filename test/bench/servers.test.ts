// Every server `npm run bench` measures answers the contract, and the ceiling and the floor write
// the headers the service writes, so their ratios compare the same work.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type TestContext, test } from 'node:test';
import { freePort, requestAsIs, waitFor } from '@simple-rest/testing';
import { CONTRACT_PATHS, contractBody } from '../../bench/servers/contract-body.mjs';
import { SAME_FOR_EVERY_RESPONSE } from '../../bench/servers/same-headers.mjs';
import { NODE_SERVERS, SERVICE_BUNDLE } from '../../bench/servers.js';
import { buildTestApp } from '../../packages/service/test/support/app.js';
import { CONTRACT } from '../../packages/service/test/support/contract.js';
import { startLocalIssuer } from '../../scripts/local-issuer.js';

/** A GET on its own connection, asking for keep-alive as the load generator does: the answer then says how long the server keeps it. */
const get = (port: number, path: string) =>
  requestAsIs(`http://127.0.0.1:${port}`, path, { headers: { connection: 'keep-alive' } });

/** Header names in the order written, and their values but the request id's and the date's. */
function headerLines(rawHeaders: readonly string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    lines.push(name === 'x-request-id' || name === 'date' ? name : `${name}: ${rawHeaders[i + 1]}`);
  }
  return lines;
}

const servers = NODE_SERVERS.filter((server) => !server.command.includes(SERVICE_BUNDLE));

test('the bench runs the bundle the image runs: access log off and on, and traced to a receiver', () => {
  const service = NODE_SERVERS.filter((server) => server.command.includes(SERVICE_BUNDLE));
  assert.deepEqual(
    service.map((server) => [server.env?.ACCESS_LOG, server.env?.OTEL_EXPORTER_OTLP_ENDPOINT]),
    [
      ['off', undefined],
      ['on', undefined],
      ['off', '$OTLP'],
    ],
  );
});

/** Starts a bench server on a free port, stopped when the test ends; resolves to the port once it answers. */
async function startServer(t: TestContext, command: readonly string[], env: Readonly<Record<string, string>> = {}) {
  const port = await freePort();
  const [file = '', ...args] = command;
  const child = spawn(file, args, {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: 'ignore',
  });
  t.after(async () => {
    if (child.exitCode === null) {
      child.kill();
      await once(child, 'exit');
    }
  });
  await waitFor(async () => (await get(port, '/')).statusCode > 0, { what: `${command.join(' ')} answers` });
  return port;
}

for (const server of servers) {
  test(`${server.name} answers the contract's bodies`, async (t) => {
    const port = await startServer(t, server.command, server.env);
    for (const [path, body] of CONTRACT) {
      const answer = await get(port, path);
      assert.equal(answer.statusCode, 200, `${path}`);
      assert.equal(answer.body, body, `${path}`);
    }
  });
}

test("the ceiling's and the floor's headers are the service's, in the service's order", async (t) => {
  const app = await buildTestApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port: servicePort } = app.server.address() as { port: number };
  const service = await get(servicePort, '/blueprint/Kalimaha/');
  const expected = [
    'x-request-id',
    ...Object.entries(SAME_FOR_EVERY_RESPONSE).map(([name, value]) => `${name}: ${value}`),
    'content-length: 15',
    'date',
    'connection: keep-alive',
    'keep-alive: timeout=72',
  ];
  assert.deepEqual(headerLines(service.rawHeaders), expected);
  for (const script of ['bench/servers/node-http-same-bytes.mjs', 'bench/servers/fastify-same-headers.mjs']) {
    const answer = await get(await startServer(t, [process.execPath, script]), '/blueprint/Kalimaha/');
    assert.deepEqual(headerLines(answer.rawHeaders), expected, script);
    assert.equal(answer.body, service.body, script);
  }
});

test("the bench's contract is the service's: the same four paths and bodies", () => {
  assert.deepEqual(
    CONTRACT_PATHS,
    CONTRACT.map(([path]) => path),
  );
  assert.deepEqual(
    CONTRACT_PATHS.map((path) => [path, contractBody(path)]),
    CONTRACT.map(([path, body]) => [path, body]),
  );
});

test("the start-up series' floor mounts the modules MODULES names, from MODULES_FROM, at their prefixes", async (t) => {
  const port = await startServer(t, [process.execPath, 'bench/servers/fastify-modules.mjs'], {
    MODULES: '@simple-rest/blueprint=/greet,@simple-rest/dice',
    MODULES_FROM: process.cwd(),
  });
  for (const [path, body] of [
    ['/', 'Hallo from CORE!'],
    ['/greet/Kalimaha/', 'Hallo Kalimaha!'],
    // At /greet only: here the service's own greeting takes the name.
    ['/blueprint/', 'Hallo blueprint from CORE!'],
  ]) {
    const answer = await get(port, path ?? '');
    assert.equal(answer.statusCode, 200, path);
    assert.equal(answer.body, body, path);
  }
  // The dice module, at its default prefix.
  assert.equal((await get(port, '/dice/')).statusCode, 200);
});

test("the notes' ceiling with AUTH_ISSUER refuses a request without a token granting the scope, and serves one with it", async (t) => {
  const issuer = await startLocalIssuer({ scopes: ['notes:read', 'notes:write'] });
  t.after(() => issuer.close());
  const port = await startServer(t, [process.execPath, 'bench/servers/node-http-notes.mjs'], {
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: issuer.audience,
  });
  const put = (token?: string) =>
    fetch(`http://127.0.0.1:${port}/notes/a/`, {
      method: 'PUT',
      body: '{"text":"Buy milk"}',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    });
  assert.equal((await put()).status, 401);
  assert.equal((await put(await issuer.token(['notes:read']))).status, 401, 'notes:read does not write');
  assert.equal((await put(await issuer.token(['notes:write']))).status, 201);
});
