import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import { cpuPerRequest } from '../../bench/cpu.js';
import { median, parseWrk, rotated } from '../../bench/wrk.js';

const REPORT = `Running 4s test @ http://127.0.0.1:40000
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.52ms  310.10us   9.20ms   91.00%
  Latency Distribution
     50%    1.43ms
     75%    1.61ms
     90%    1.80ms
     99%  850.00us
  130000 requests in 4.00s, 30.00MB read
  Socket errors: connect 0, read 2, write 1, timeout 0
  Non-2xx or 3xx responses: 4
Requests/sec:  32500.25
Transfer/sec:      7.50MB
`;

test("wrk's report is read: requests, throughput, percentiles in milliseconds whatever their unit, and every error", () => {
  assert.deepEqual(parseWrk(REPORT), {
    requests: 130000,
    requestsPerSecond: 32500.25,
    p50Ms: 1.43,
    p99Ms: 0.85,
    errors: 7,
  });
  const bare = parseWrk('Requests/sec: 10.5\n');
  assert.equal(bare.requestsPerSecond, 10.5);
  assert.ok(Number.isNaN(bare.p99Ms), 'a percentile wrk did not report is NaN, not 0');
  assert.equal(bare.errors, 0);
});

test('medians leave out what a round could not read; rounds rotate the order', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, Number.NaN, 2, 3]), 2.5);
  assert.ok(Number.isNaN(median([Number.NaN])));
  assert.deepEqual(rotated(['a', 'b', 'c'], 1), ['b', 'c', 'a']);
});

test("CPU per request reads the server's own CPU time around a load: a busy loop costs, a wait does not", async () => {
  const slice = async (script: string) => {
    const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore' });
    try {
      await setTimeout(300); // started
      return await cpuPerRequest(child.pid ?? 0, async () => {
        await setTimeout(1000);
        return { requests: 10 };
      });
    } finally {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    }
  };
  // Busy 40 ms in every 50: about 800 ms of CPU in the second, 80,000 µs for each of 10 "requests"
  // (less when the machine is busy; the bounds leave room for that, not for a wrong reading).
  const busy = await slice('setInterval(() => { const end = Date.now() + 40; while (Date.now() < end); }, 50)');
  const idle = await slice('setInterval(() => {}, 50)');
  assert.ok(busy.cpuUsPerRequest > 20_000 && busy.cpuUsPerRequest <= 100_000, String(busy.cpuUsPerRequest));
  assert.ok(idle.cpuUsPerRequest < 5_000, String(idle.cpuUsPerRequest));
  assert.equal(busy.requests, 10);
});
