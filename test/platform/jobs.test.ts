// The host's jobs across real processes on one PostgreSQL: a job every second runs once per fire
// time however many instances and workers there are; a run whose instance is killed (-9) is
// finished by another; SIGTERM lets short runs finish and hands long ones over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@simple-rest/testing';
import { postgresFor, query, tickerService } from './support.js';

interface SlowRow {
  started_by?: number;
  finished_by?: number | null;
  attempts?: number;
}
const slowRow = async (url: string, id: string) => (await (await fetch(`${url}/ticker/slow/${id}/`)).json()) as SlowRow;
const enqueue = async (url: string, id: string, ms: number) =>
  assert.equal((await fetch(`${url}/ticker/slow/${id}/?ms=${ms}`, { method: 'POST' })).status, 202);

test('3 instances × 2 workers, a job every second for 20 s: 20 runs, each fire time exactly once', async (t) => {
  const database = await postgresFor(t);
  if (!database) return;
  const env = { DATABASE_URL: database.url, WEB_CONCURRENCY: '2', TICKER_TICK: 'on' };
  await Promise.all([0, 1, 2].map(() => tickerService(t, env)));
  // Twenty whole seconds, starting after every instance listens.
  const first = Math.ceil((Date.now() + 1000) / 1000) * 1000;
  const last = first + 19_000;
  await sleep(last + 3000 - Date.now());
  const runs = await query<{ fire: string; runs: number }>(
    database.url,
    `SELECT (extract(epoch FROM fire_time) * 1000)::bigint::text AS fire, count(*)::int AS runs FROM ticker.runs
     WHERE fire_time BETWEEN to_timestamp($1 / 1000.0) AND to_timestamp($2 / 1000.0) GROUP BY 1 ORDER BY 1`,
    [first, last],
  );
  assert.deepEqual(
    runs,
    Array.from({ length: 20 }, (_, index) => ({ fire: String(first + index * 1000), runs: 1 })),
  );
  const twice = await query(database.url, 'SELECT fire_time FROM ticker.runs GROUP BY 1 HAVING count(*) > 1');
  assert.deepEqual(twice, [], 'no fire time ran twice, in or out of the window');
});

test('kill -9 of the instance running a job: another takes it over and finishes it within 10 s', async (t) => {
  const database = await postgresFor(t);
  if (!database) return;
  const env = { DATABASE_URL: database.url, JOBS_LEASE_MS: '3000' };
  const services = await Promise.all([0, 1].map(() => tickerService(t, env)));
  await enqueue(services[0]?.url ?? '', 'one', 3000);
  await waitFor(async () => (await slowRow(services[0]?.url ?? '', 'one')).started_by !== undefined, {
    what: 'the job to start',
    intervalMs: 50,
  });
  const started = await slowRow(services[0]?.url ?? '', 'one');
  const holder = services.find(({ child }) => child.pid === started.started_by);
  const other = services.find((service) => service !== holder);
  assert.ok(holder && other, `one of the instances (pid ${started.started_by}) holds the job`);
  holder.child.kill('SIGKILL');
  const killedAt = Date.now();
  await waitFor(async () => (await slowRow(other.url, 'one')).finished_by != null, {
    what: 'the other instance to finish the job',
    intervalMs: 100,
  });
  assert.ok(Date.now() - killedAt < 10_000, `finished ${Date.now() - killedAt} ms after the kill`);
  const finished = await slowRow(other.url, 'one');
  assert.equal(finished.started_by, other.child.pid);
  assert.equal(finished.finished_by, other.child.pid);
  assert.equal(finished.attempts, 2);
  const [row] = await query<{ state: string; attempts: number }>(
    database.url,
    "SELECT state, attempts FROM simple_rest.jobs WHERE job = 'slow'",
  );
  assert.deepEqual(row, { state: 'done', attempts: 2 });
});

test('SIGTERM: a run that ends within the shutdown budget finishes; a longer one is handed to another instance at once', async (t) => {
  const database = await postgresFor(t);
  if (!database) return;
  const env = { DATABASE_URL: database.url, JOBS_LEASE_MS: '30000' };
  const holder = await tickerService(t, env);
  await enqueue(holder.url, 'short', 1500);
  await enqueue(holder.url, 'long', 20_000);
  await waitFor(
    async () =>
      (await slowRow(holder.url, 'short')).started_by === holder.child.pid &&
      (await slowRow(holder.url, 'long')).started_by === holder.child.pid,
    { what: 'both jobs to start in the first instance', intervalMs: 50 },
  );
  const other = await tickerService(t, env);
  holder.child.kill('SIGTERM');
  const stoppedAt = Date.now();
  assert.equal(await holder.exited, 0);
  assert.equal((await slowRow(other.url, 'short')).finished_by, holder.child.pid, 'the short run finished');
  // Released, not left to its 30 s lease: the other instance starts it within seconds.
  await waitFor(async () => (await slowRow(other.url, 'long')).started_by === other.child.pid, {
    what: 'the other instance to take the long run',
    intervalMs: 100,
  });
  assert.ok(Date.now() - stoppedAt < 15_000);
  const [row] = await query<{ attempts: number }>(
    database.url,
    "SELECT attempts FROM simple_rest.jobs WHERE payload->>'id' = 'long'",
  );
  assert.equal(row?.attempts, 1, 'the released attempt is not counted');
  assert.ok(holder.logs.some((line) => line.msg === 'jobs released at shutdown'));
});
