import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type NotesResult, notesRatios } from '../../bench/notes.js';

const result = (name: string, ceiling: boolean, cpuUsPerSlice: number[]): NotesResult => ({
  name,
  database: 'PostgreSQL',
  operation: 'GET',
  ceiling,
  cpuUsPerRequest: Number.NaN,
  cpuUsPerSlice,
  requestsPerSecond: 100,
  p99Ms: 5,
  errors: 0,
});

test("the CPU ratio is the median of the slices' own ratios: a slow moment weighs on the ceiling too", () => {
  // The third slice ran while the machine was busy: both servers paid for it.
  const [ceiling, service] = notesRatios([
    result('ceiling', true, [40, 40, 80, 40, 40]),
    result('service', false, [48, 50, 96, 52, 60]),
  ]);
  assert.equal(ceiling?.cpuRatio, 1);
  assert.equal(service?.cpuRatio, 1.25);
});
