import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueFireTimes, scheduleOf } from '../../src/platform/jobs/schedule.js';

const at = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

test('every: fire times are multiples of the interval, the same in every instance', () => {
  const schedule = scheduleOf({ every: 60_000, timeoutMs: 1 }, 'job');
  assert.ok(schedule);
  assert.equal(schedule.next(at('2026-12-05T10:00:30Z')).toISOString(), '2026-12-05T10:01:00.000Z');
  assert.equal(schedule.previous(at('2026-12-05T10:00:30Z')).toISOString(), '2026-12-05T10:00:00.000Z');
});

test('cron: next and previous fire times, in UTC; a bad expression or both kinds are refused', () => {
  const schedule = scheduleOf({ cron: '0 3 * * *', timeoutMs: 1 }, 'job');
  assert.ok(schedule);
  assert.equal(schedule.next(at('2026-12-05T10:00:00Z')).toISOString(), '2026-12-06T03:00:00.000Z');
  assert.equal(schedule.previous(at('2026-12-05T10:00:00Z')).toISOString(), '2026-12-05T03:00:00.000Z');
  assert.equal(scheduleOf({ timeoutMs: 1 }, 'job'), undefined, 'neither: enqueued only');
  assert.throws(
    () => scheduleOf({ cron: 'not cron', timeoutMs: 1 }, '"@acme/x" job "y"'),
    /^Error: "@acme\/x" job "y" has the cron expression "not cron", which is not valid/,
  );
  assert.throws(() => scheduleOf({ every: 500, timeoutMs: 1 }, 'j'), /expected an integer of 1000 or more/);
  assert.throws(() => scheduleOf({ every: 1000, cron: '* * * * *', timeoutMs: 1 }, 'j'), /choose one/);
});

test('after an outage, the missed fire times run at most JOBS_CATCH_UP times, the newest; late ones all run', () => {
  const schedule = scheduleOf({ every: 60_000, timeoutMs: 1 }, 'job');
  assert.ok(schedule);
  const now = at('2026-12-05T12:00:05Z');
  // Down since 09:00: 179 fire times missed, one (12:00) just due.
  const lastFire = at('2026-12-05T09:00:00Z');
  assert.deepEqual(iso(dueFireTimes(schedule, lastFire, now, { lateMs: 10_000, catchUp: 1 })), [
    '2026-12-05T11:59:00.000Z',
    '2026-12-05T12:00:00.000Z',
  ]);
  assert.deepEqual(iso(dueFireTimes(schedule, lastFire, now, { lateMs: 10_000, catchUp: 0 })), [
    '2026-12-05T12:00:00.000Z',
  ]);
  assert.deepEqual(iso(dueFireTimes(schedule, lastFire, now, { lateMs: 10_000, catchUp: 3 })), [
    '2026-12-05T11:57:00.000Z',
    '2026-12-05T11:58:00.000Z',
    '2026-12-05T11:59:00.000Z',
    '2026-12-05T12:00:00.000Z',
  ]);
  // Running on time: only the fire time just passed.
  assert.deepEqual(iso(dueFireTimes(schedule, at('2026-12-05T11:59:00Z'), now, { lateMs: 10_000, catchUp: 1 })), [
    '2026-12-05T12:00:00.000Z',
  ]);
  assert.deepEqual(dueFireTimes(schedule, at('2026-12-05T12:00:00Z'), now, { lateMs: 10_000, catchUp: 1 }), []);
});
