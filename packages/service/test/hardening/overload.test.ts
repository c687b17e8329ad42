// Overload: a bounded burst far past capacity gets 503 with Retry-After from load shedding,
// never a crash or a 5xx of another kind, and the service recovers once the burst ends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { startService } from '../support/process.js';

test('a burst past capacity is shed with 503 and Retry-After, and the service recovers', async (t) => {
  // A limit this tight makes the saturated event loop count as overload.
  const service = await startService({ MAX_EVENT_LOOP_DELAY_MS: '1', ACCESS_LOG: 'off' });
  t.after(() => service.child.kill('SIGKILL'));
  // Start from a service that is not shedding: on a loaded machine the start-up pause alone can
  // read as overload in the first one-second sample, and then the whole burst would be shed.
  let serving = false;
  for (let attempt = 0; attempt < 50 && !serving; attempt++) {
    serving = (await fetch(`${service.url}/blueprint/Kalimaha/`)).status === 200;
    if (!serving) await sleep(100);
  }
  assert.ok(serving, 'the service serves before the burst');
  const statuses = new Map<number, number>();
  const burst = new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: `${service.url}/blueprint/Kalimaha/`, connections: 300, duration: 4, timeout: 10 },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode) => {
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
  // A probe beside the burst reads the headers of shed answers (autocannon's events lack them).
  let bursting = true;
  const shedRetryAfter = new Set<string | null>();
  const probe = (async () => {
    while (bursting) {
      const res = await fetch(`${service.url}/`).catch(() => undefined);
      if (res?.status === 503) shedRetryAfter.add(res.headers.get('retry-after'));
      await res?.arrayBuffer();
      await sleep(50);
    }
  })();
  const result = await burst;
  bursting = false;
  await probe;
  t.diagnostic(`burst: ${JSON.stringify(Object.fromEntries(statuses))}, ${result.errors} socket errors`);

  assert.deepEqual(
    [...statuses.keys()].filter((status) => status !== 200 && status !== 503),
    [],
  );
  assert.ok((statuses.get(503) ?? 0) > 0, 'some requests were shed');
  assert.ok((statuses.get(200) ?? 0) > 0, 'some requests were served');
  assert.equal(result.errors, 0);
  assert.deepEqual([...shedRetryAfter], ['1'], 'every shed answer the probe saw says Retry-After: 1');
  assert.equal(service.child.exitCode, null, 'the process is still up');

  let recovered = false;
  for (let attempt = 0; attempt < 30 && !recovered; attempt++) {
    await sleep(200);
    const res = await fetch(`${service.url}/blueprint/Kalimaha/`);
    recovered = res.status === 200 && (await res.text()) === 'Hallo Kalimaha!';
  }
  assert.ok(recovered, 'greetings are served again after the burst');
  const shed = await fetch(`${service.url}/healthz`);
  assert.equal(shed.status, 200);
});
