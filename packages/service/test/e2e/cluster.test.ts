import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningService, startService, waitForLog } from '../support/process.js';

/** Asks with a fresh connection each time, so the primary spreads the requests over the workers. */
async function workerPidsServing(service: RunningService, requests: number): Promise<Set<number>> {
  for (let sent = 0; sent < requests; sent++) {
    const res = await fetch(`${service.url}/Kalimaha/`, { headers: { connection: 'close' } });
    assert.equal(await res.text(), 'Hallo Kalimaha from CORE!');
  }
  await sleep(200); // access lines are written asynchronously
  return new Set(service.logs.filter((line) => line.msg === 'request completed').map((line) => line.pid as number));
}

test('WEB_CONCURRENCY=2 starts two workers that share the port', async (t) => {
  const service = await startService({ WEB_CONCURRENCY: '2' });
  t.after(() => service.child.kill('SIGKILL'));
  await waitForLog(service, 'worker listening', 2);
  const primary = service.logs.find((line) => line.msg === 'primary started');
  assert.equal(primary?.workers, 2);
  const pids = await workerPidsServing(service, 20);
  assert.equal(pids.size, 2);
  assert.ok(!pids.has(service.child.pid as number), 'the primary serves nothing itself');
  service.child.kill('SIGTERM');
  assert.equal(await service.exited, 0);
});

test('a worker that dies is replaced, and the service keeps serving', async (t) => {
  const service = await startService({ WEB_CONCURRENCY: '2' });
  t.after(() => service.child.kill('SIGKILL'));
  await waitForLog(service, 'worker listening', 2);
  const [victim] = await workerPidsServing(service, 10);
  assert.ok(victim);
  process.kill(victim, 'SIGKILL');
  await waitForLog(service, 'worker died, starting another', 1);
  await waitForLog(service, 'worker listening', 3);
  const died = service.logs.find((line) => line.msg === 'worker died, starting another');
  assert.equal(died?.workerPid, victim);
  assert.equal(died?.signal, 'SIGKILL');
  const res = await fetch(`${service.url}/blueprint/`);
  assert.equal(await res.text(), 'Hallo!');
  service.child.kill('SIGTERM');
  assert.equal(await service.exited, 0);
});

test('SIGTERM to the primary drains every worker gracefully, then exits 0', async (t) => {
  const service = await startService({ WEB_CONCURRENCY: '3', SHUTDOWN_DELAY_MS: '300' });
  t.after(() => service.child.kill('SIGKILL'));
  await waitForLog(service, 'worker listening', 3);
  service.child.kill('SIGTERM');
  assert.equal(await service.exited, 0);
  const workerPids = new Set(
    service.logs.filter((line) => line.msg === 'worker listening').map((line) => line.workerPid),
  );
  const closedPids = new Set(service.logs.filter((line) => line.msg === 'closed').map((line) => line.pid));
  assert.deepEqual(closedPids, workerPids);
  const done = service.logs.find((line) => line.msg === 'every worker exited');
  assert.deepEqual(done?.codes, [0, 0, 0]);
});

test('a worker that cannot start ends the primary with exit 1 instead of a restart loop', async () => {
  const blocker = await startService();
  try {
    const clash = await startService({ WEB_CONCURRENCY: '2', PORT: new URL(blocker.url).port }).catch(
      (error: Error) => error,
    );
    assert.ok(clash instanceof Error);
    assert.equal(clash.message, 'the service exited (1) before listening');
  } finally {
    blocker.child.kill('SIGTERM');
    await blocker.exited;
  }
});
