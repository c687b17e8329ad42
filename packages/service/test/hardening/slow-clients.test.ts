// Slow-client and connection abuse on loopback: the service keeps serving others, and frees
// the sockets within its timeouts. Timeouts are shortened here; the waits are bounded.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestApp } from '../support/app.js';

const TIMEOUTS = { headersMs: 500, requestMs: 1000, keepAliveMs: 500, checkIntervalMs: 100 };

async function listeningApp(t: TestContext) {
  const app = await buildTestApp(t, { timeouts: TIMEOUTS, accessLog: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as AddressInfo).port };
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket)).on('error', reject);
  });
}

function closed(socket: Socket, withinMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed || socket.readableEnded) return resolve(true);
    const timer = setTimeout(() => resolve(false), withinMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function servedPromptly(port: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/blueprint/Kalimaha/`, { signal: AbortSignal.timeout(5000) });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'Hallo Kalimaha!');
}

test('slowloris: partial headers, trickled, are cut off after headersTimeout; others are served', async (t) => {
  const { port } = await listeningApp(t);
  const sockets = await Promise.all(Array.from({ length: 50 }, () => open(port)));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
  });
  for (const socket of sockets) socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
  const trickle = setInterval(() => {
    for (const socket of sockets) if (!socket.destroyed) socket.write('X-Slow: 1\r\n');
  }, 100);
  t.after(() => clearInterval(trickle));
  await servedPromptly(port);
  const answers = await Promise.all(sockets.map((socket) => closed(socket, 10 * TIMEOUTS.headersMs)));
  assert.ok(answers.every(Boolean), 'every slow socket is closed');
});

test('many idle keep-alive sockets are served, then closed after keepAliveTimeout', async (t) => {
  const { port } = await listeningApp(t);
  const sockets = await Promise.all(Array.from({ length: 200 }, () => open(port)));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
  });
  const answered = sockets.map(
    (socket) =>
      new Promise<string>((resolve) => {
        socket.once('data', (chunk) => resolve(String(chunk)));
        socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      }),
  );
  for (const answer of await Promise.all(answered)) assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
  await servedPromptly(port);
  const answers = await Promise.all(sockets.map((socket) => closed(socket, 10 * TIMEOUTS.keepAliveMs)));
  assert.ok(answers.every(Boolean), 'every idle socket is closed');
});

test('a client that sends and never reads does not stop the service serving others', async (t) => {
  const { port } = await listeningApp(t);
  const greedy = await open(port);
  t.after(() => greedy.destroy());
  greedy.pause();
  const request = 'GET /blueprint/Kalimaha/ HTTP/1.1\r\nHost: x\r\n\r\n';
  for (let sent = 0; sent < 5000; sent++) greedy.write(request);
  await sleep(200);
  for (let attempt = 0; attempt < 5; attempt++) await servedPromptly(port);
});

test('a request head larger than Node allows gets 431, and the service stays up', async (t) => {
  const { port } = await listeningApp(t);
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-huge': 'a'.repeat(20_000) } });
  assert.equal(res.status, 431);
  await servedPromptly(port);
});
