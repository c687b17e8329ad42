import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderResults } from '../../bench/report.js';
import { CEILING } from '../../bench/servers.js';

const result = (name: string, requestsPerSecond: number, p99Ms: number) => ({
  name,
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
    startup: [
      { modules: 0, coldStartMs: 200, peakRssMb: 80, shed: 0 },
      { modules: 50, coldStartMs: 1000, peakRssMb: 200, shed: 12 },
    ],
    notes: [
      {
        name: 'ceiling, PostgreSQL',
        database: 'PostgreSQL',
        operation: 'GET',
        ceiling: true,
        requestsPerSecond: 100,
        p99Ms: 5,
        errors: 0,
        throughputRatio: 1,
        p99Ratio: 1,
      },
      {
        name: 'notes, PostgreSQL',
        database: 'PostgreSQL',
        operation: 'GET',
        ceiling: false,
        requestsPerSecond: 72,
        p99Ms: 9,
        errors: 0,
        throughputRatio: 0.72,
        p99Ratio: 1.8,
      },
    ],
  });
  const lines = section.split('\n');
  assert.equal(lines[0], '<!-- results:start -->');
  assert.equal(lines.at(-1), '<!-- results:end -->');
  assert.ok(lines.includes('| simple-rest | 600 | 0.60 | 1.00 | 1.00 | — | — | 50.0 | 1.00 | 100 | 1.00 |'), section);
  assert.ok(lines.includes('| notes, PostgreSQL | GET | 72 | 0.72 | 9.00 | 1.80 |'), section);
  assert.ok(lines.includes('| 50 | 1000 | 10.00 | 5.00 | 200.0 | 2.50 | 12 |'), section);
  assert.match(section, /Measured 2026-11-30 by `npm run bench`/);
});
