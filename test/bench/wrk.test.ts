import assert from 'node:assert/strict';
import { test } from 'node:test';
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

test("wrk's report is read: throughput, percentiles in milliseconds whatever their unit, and every error", () => {
  assert.deepEqual(parseWrk(REPORT), { requestsPerSecond: 32500.25, p50Ms: 1.43, p99Ms: 0.85, errors: 7 });
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
