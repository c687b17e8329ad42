import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderResults } from '../../bench/report.js';
import { CEILING } from '../../bench/servers.js';

const result = (name: string, requestsPerSecond: number, p99Ms: number) => ({
  name,
  cpuUsPerRequest: 20_000 / Math.sqrt(requestsPerSecond),
  requestsPerSecond,
  p50Ms: 1,
  p99Ms,
  errors: 0,
  peakRssMb: 50,
  coldStartMs: 100,
});

test('the report gives each figure with its ratio to the ceiling, a dash for what wrk did not report, the notes and the start-up series', () => {
  const section = renderResults({
    date: '2026-11-30',
    machine: { cores: 2 },
    results: [result(CEILING, 1000, 2), result('simple-rest', 600, Number.NaN)],
    startup: {
      ceilingColdStartMs: 100,
      results: [
        { bundle: 'this build', modules: 0, coldStartMs: 200, peakRssMb: 80, shed: 0, firstRequestExtraMs: Number.NaN },
        { bundle: 'this build', modules: 50, coldStartMs: 400, peakRssMb: 100, shed: 0, firstRequestExtraMs: 1.25 },
        { bundle: 'before', modules: 0, coldStartMs: 300, peakRssMb: 90, shed: 0, firstRequestExtraMs: Number.NaN },
        { bundle: 'before', modules: 50, coldStartMs: 1200, peakRssMb: 180, shed: 12, firstRequestExtraMs: 0 },
      ],
    },
    notes: [
      {
        name: 'ceiling, PostgreSQL',
        database: 'PostgreSQL',
        operation: 'GET',
        ceiling: true,
        cpuUsPerRequest: 40,
        cpuUsPerSlice: [40],
        requestsPerSecond: 100,
        p99Ms: 5,
        errors: 0,
        cpuRatio: 1,
        throughputRatio: 1,
        p99Ratio: 1,
      },
      {
        name: 'notes, PostgreSQL',
        database: 'PostgreSQL',
        operation: 'GET',
        ceiling: false,
        cpuUsPerRequest: 52,
        cpuUsPerSlice: [52],
        requestsPerSecond: 72,
        p99Ms: 9,
        errors: 0,
        cpuRatio: 1.3,
        throughputRatio: 0.72,
        p99Ratio: 1.8,
      },
    ],
  });
  const lines = section.split('\n');
  assert.equal(lines[0], '<!-- results:start -->');
  assert.equal(lines.at(-1), '<!-- results:end -->');
  assert.ok(
    lines.includes('| simple-rest | 816.5 | 1.29 | 600 | 0.60 | 1.00 | 1.00 | — | — | 50.0 | 1.00 | 100 | 1.00 |'),
    section,
  );
  assert.ok(lines.includes('| notes, PostgreSQL | GET | 52.0 | 1.30 | 72 | 0.72 | 9.00 | 1.80 |'), section);
  // Each bundle's rows are ratios to its own blueprint-alone row; no modules, no first request.
  assert.ok(lines.includes('| this build | 0 | 200 | 2.00 | 1.00 | 0 | 80.0 | 1.00 | 0 | — |'), section);
  assert.ok(lines.includes('| this build | 50 | 400 | 4.00 | 2.00 | 200 | 100.0 | 1.25 | 0 | 1.3 |'), section);
  assert.ok(lines.includes('| before | 50 | 1200 | 12.00 | 4.00 | 900 | 180.0 | 2.00 | 12 | 0.0 |'), section);
  assert.match(section, /Measured 2026-11-30 by `npm run bench`/);
});
