// The notes module as a client sees it over HTTP, in the real service process: two instances
// on one PostgreSQL, a database outage and its recovery, a database down at start, SIGTERM under
// writes, the first start of several instances at once, and the embedded database kept on disk.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@simple-rest/testing';
import pg from 'pg';
import { type RunningService, startService } from '../../packages/service/test/support/process.js';
import { postgresFor } from '../platform/support.js';

const MODULES = '@simple-rest/blueprint=/blueprint,@simple-rest/notes';
// What is tested here is the database's side; test/auth/ tests the tokens.
const AUTH_DISABLED = 'true';

async function serviceOn(t: TestContext, env: Record<string, string>): Promise<RunningService> {
  const service = await startService({ MODULES, AUTH_DISABLED, ...env });
  t.after(() => service.child.kill('SIGKILL'));
  return service;
}

const putNote = (service: RunningService, id: string, text: string) =>
  fetch(`${service.url}/notes/${id}/`, {
    method: 'PUT',
    body: JSON.stringify({ text }),
    headers: { 'content-type': 'application/json' },
  });

/** Runs `work` for 0 … count-1 with at most `inFlight` at once. */
async function inParallel(count: number, inFlight: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/** Polls `url` until it answers `status`, for at most 10 s. */
function waitForStatus(url: string, status: number): Promise<boolean> {
  return waitFor(async () => (await fetch(url)).status === status, {
    what: `${url} answers ${status}`,
    intervalMs: 100,
  });
}

async function countNotes(url: string): Promise<number> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) AS n FROM notes.notes')).rows[0].n);
  } finally {
    await client.end();
  }
}

test('two instances on one PostgreSQL: a note written through one is read through the other; 2,000 concurrent writes, none lost', async (t) => {
  const database = await postgresFor(t);
  if (!database) return;
  const [one, two] = (await Promise.all([0, 1].map(() => serviceOn(t, { DATABASE_URL: database.url })))) as [
    RunningService,
    RunningService,
  ];
  assert.equal((await putNote(one, 'shared', 'from one')).status, 201);
  const read = await fetch(`${two.url}/notes/shared/`);
  assert.equal(read.status, 200);
  assert.equal(((await read.json()) as { text: string }).text, 'from one');

  const statuses = new Map<number, number>();
  await inParallel(2000, 100, async (index) => {
    const res = await putNote(index % 2 === 0 ? one : two, `load-${index}`, `note ${index}`);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    await res.arrayBuffer();
  });
  assert.deepEqual([...statuses], [[201, 2000]]);
  assert.equal(await countNotes(database.url), 2001);
});

test('database outage: notes answer 503 within 5 s and /readyz 503, greetings and /healthz keep working; recovery needs no restart', async (t) => {
  const database = await postgresFor(t);
  if (!database) return;
  const service = await serviceOn(t, { DATABASE_URL: database.url });
  assert.equal((await putNote(service, 'before', 'x')).status, 201);
  assert.equal((await fetch(`${service.url}/readyz`)).status, 200);

  database.stop();
  const started = Date.now();
  const down = await fetch(`${service.url}/notes/before/`);
  assert.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
  assert.equal(down.status, 503);
  assert.equal(down.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  // A 5xx says only its status (the reason goes to the log).
  assert.deepEqual(await down.json(), { type: 'about:blank', title: 'Service Unavailable', status: 503 });
  assert.equal((await putNote(service, 'during', 'x')).status, 503);
  assert.equal((await fetch(`${service.url}/readyz`)).status, 503);
  assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
  assert.equal(await (await fetch(`${service.url}/blueprint/Kalimaha/`)).text(), 'Hallo Kalimaha!');

  database.start();
  await waitForStatus(`${service.url}/readyz`, 200);
  assert.equal((await fetch(`${service.url}/notes/before/`)).status, 200);
  assert.equal((await putNote(service, 'after', 'x')).status, 201);
  assert.equal(service.child.exitCode, null, 'the service kept running');
});

test('database down at start: the service starts, /readyz is 503 until the database answers, then 200', async (t) => {
  const database = await postgresFor(t);
  if (!database) return;
  database.stop();
  const service = await serviceOn(t, { DATABASE_URL: database.url });
  assert.equal((await fetch(`${service.url}/readyz`)).status, 503);
  assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
  database.start();
  await waitForStatus(`${service.url}/readyz`, 200);
  assert.equal((await putNote(service, 'late', 'x')).status, 201);
});

test('SIGTERM under writes: every write answered 2xx is in the database afterwards; the pool closes after the last answer', async (t) => {
  const database = await postgresFor(t);
  if (!database) return;
  const service = await serviceOn(t, { DATABASE_URL: database.url, SHUTDOWN_DELAY_MS: '300' });
  const acknowledged = new Set<string>();
  let stopping = false;
  const writers = inParallel(4000, 40, async (index) => {
    if (stopping && service.child.exitCode !== null) return;
    const id = `w-${index}`;
    const res = await putNote(service, id, 'x').catch(() => undefined);
    if (res?.status === 201) acknowledged.add(id);
    await res?.arrayBuffer().catch(() => undefined);
  });
  await sleep(500);
  stopping = true;
  service.child.kill('SIGTERM');
  assert.equal(await service.exited, 0);
  await writers;
  assert.ok(acknowledged.size > 0, 'some writes were answered before the shutdown');
  const client = new pg.Client(database.url);
  await client.connect();
  const stored = new Set(
    (await client.query<{ id: string }>("SELECT id FROM notes.notes WHERE id LIKE 'w-%'")).rows.map(({ id }) => id),
  );
  await client.end();
  assert.deepEqual(
    [...acknowledged].filter((id) => !stored.has(id)),
    [],
    'no acknowledged write is missing',
  );
  const messages = service.logs.map((line) => line.msg);
  assert.ok(
    messages.lastIndexOf('request completed') < messages.indexOf('database closed'),
    'closed after the last answer',
  );
});

test('several instances starting at once on an empty database migrate it once, without an error', async (t) => {
  const database = await postgresFor(t);
  if (!database) return;
  const services = await Promise.all([0, 1, 2].map(() => serviceOn(t, { DATABASE_URL: database.url })));
  const ready = await Promise.all(services.map((service) => fetch(`${service.url}/readyz`)));
  assert.deepEqual(
    ready.map(({ status }) => status),
    [200, 200, 200],
  );
  const client = new pg.Client(database.url);
  await client.connect();
  const versions = (
    await client.query("SELECT version FROM simple_rest.migrations WHERE schema_name = 'notes' ORDER BY version")
  ).rows;
  await client.end();
  assert.deepEqual(versions, [{ version: 1 }, { version: 2 }]);
});

test('without DATABASE_URL, the embedded database serves the notes, warns they are in memory, and keeps them in DATABASE_DATA_DIR across restarts', async (t) => {
  // The embedded database blocks the event loop as it opens; load shedding would read that as
  // overload for a moment after, which is not what this test is about.
  const inMemory = await serviceOn(t, { MAX_EVENT_LOOP_DELAY_MS: '0' });
  assert.ok(
    inMemory.logs.some(
      (line) => line.level === 40 && String(line.msg).startsWith('the embedded database keeps its data in memory'),
    ),
  );
  assert.equal((await putNote(inMemory, 'mem', 'x')).status, 201);

  const directory = mkdtempSync(join(tmpdir(), 'simple-rest-notes-data-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  const first = await serviceOn(t, { DATABASE_DATA_DIR: directory, MAX_EVENT_LOOP_DELAY_MS: '0' });
  assert.equal((await putNote(first, 'kept', 'on disk')).status, 201);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);
  const second = await serviceOn(t, { DATABASE_DATA_DIR: directory, MAX_EVENT_LOOP_DELAY_MS: '0' });
  const read = await fetch(`${second.url}/notes/kept/`);
  assert.equal(read.status, 200);
  assert.equal(((await read.json()) as { text: string }).text, 'on disk');
});
