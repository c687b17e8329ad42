// The embedded database refuses what it cannot do, at start-up, in one line: more than one
// worker, a second process on its folder, a folder other users may read. It makes its folder 0700.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { runToExit, startService } from '../../packages/service/test/support/process.js';

const NOTES = { MODULES: '@simple-rest/notes', AUTH_DISABLED: 'true', MAX_EVENT_LOOP_DELAY_MS: '0' };

function scratch(t: TestContext): string {
  const directory = mkdtempSync(join(tmpdir(), 'simple-rest-embedded-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

test('WEB_CONCURRENCY above 1 without DATABASE_URL stops the start with one line', async () => {
  const run = await runToExit({ ...NOTES, WEB_CONCURRENCY: '2' });
  assert.equal(run.code, 1);
  assert.equal(
    run.stderr,
    'Invalid configuration: WEB_CONCURRENCY=2 runs 2 processes, and "@simple-rest/notes" keeps data in the embedded database, which takes one: set DATABASE_URL, or WEB_CONCURRENCY=1\n',
  );
});

test('a new DATABASE_DATA_DIR is made 0700; a second process on it stops with one line naming the first', async (t) => {
  const directory = join(scratch(t), 'data');
  const first = await startService({ ...NOTES, DATABASE_DATA_DIR: directory });
  t.after(() => first.child.kill('SIGKILL'));
  assert.equal(statSync(directory).mode & 0o777, 0o700);
  assert.equal(statSync(join(directory, 'pgdata')).mode & 0o777, 0o700);
  const second = await runToExit({ ...NOTES, DATABASE_DATA_DIR: directory });
  assert.equal(second.code, 1);
  assert.equal(
    second.stderr,
    `Invalid configuration: DATABASE_DATA_DIR="${directory}" is in use by process ${first.child.pid}: the embedded database takes one process (set DATABASE_URL to share a PostgreSQL)\n`,
  );
  // Once the first is gone, even killed, the folder is free again.
  first.child.kill('SIGKILL');
  await first.exited;
  const third = await startService({ ...NOTES, DATABASE_DATA_DIR: directory });
  t.after(() => third.child.kill('SIGKILL'));
  assert.equal((await fetch(`${third.url}/readyz`)).status, 200);
});

test('a DATABASE_DATA_DIR that other users may read is refused with one line', async (t) => {
  const directory = join(scratch(t), 'open');
  mkdirSync(directory);
  chmodSync(directory, 0o755);
  const run = await runToExit({ ...NOTES, DATABASE_DATA_DIR: directory });
  assert.equal(run.code, 1);
  assert.equal(
    run.stderr,
    `Invalid configuration: DATABASE_DATA_DIR="${directory}" may be read by other users (mode 755): chmod 700 it, or name a new folder\n`,
  );
});
