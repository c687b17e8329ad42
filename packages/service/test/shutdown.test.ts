import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { drainAndClose } from '../src/shutdown.js';
import { buildTestApp } from './support/app.js';

function get(port: number, path: string, agent?: Agent) {
  return new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ...(agent && { agent }) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          ...(res.headers.connection && { connection: res.headers.connection }),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

test('drainAndClose: readiness off at once, requests served during the delay, a slow request completes, then closed', async (t) => {
  const app = await buildTestApp(t);
  app.get('/slow', async () => {
    await sleep(400);
    return 'done';
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;

  const slow = get(port, '/slow');
  await sleep(50);
  const closed = drainAndClose(app, 200);
  assert.equal(app.readiness.draining, true);
  assert.deepEqual(await get(port, '/readyz'), { status: 503, body: '{"status":"draining"}', connection: 'close' });
  assert.deepEqual(await get(port, '/'), { status: 200, body: 'Hallo from CORE!', connection: 'close' });

  await closed;
  assert.deepEqual(await slow, { status: 200, body: 'done', connection: 'close' });
  await assert.rejects(get(port, '/'), { code: 'ECONNREFUSED' });
});

test('drainAndClose closes idle keep-alive connections instead of waiting for them', async (t) => {
  const app = await buildTestApp(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());

  assert.equal((await get(port, '/', agent)).status, 200);
  const [socket] = Object.values(agent.freeSockets).flat();
  assert.ok(socket, 'the connection is kept alive and idle');
  const socketClosed = new Promise((resolve) => socket.once('close', resolve));

  await drainAndClose(app, 0);
  await socketClosed;
});
