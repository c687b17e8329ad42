import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

test('a module that breaks a promise fails the kit with the promise and the route named', () => {
  const fixture = fileURLToPath(new URL('fixtures/broken-module.ts', import.meta.url));
  // Without NODE_TEST_CONTEXT, which would make the run report to this one instead of exiting 1.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--test', fixture], {
    encoding: 'utf8',
    env,
  });
  assert.equal(run.status, 1, run.stdout);
  assert.match(run.stdout, /promise "every GET route answers 200" broken by GET \/broken\/Kalimaha\/: 500/);
  assert.match(run.stdout, /promise "version matches package.json" broken/);
  assert.match(run.stdout, /not ok \d+ - any parameter, any encoding/);
  assert.match(run.stdout, /promise "the document passes the linter" broken:\n\s*error operation-summary/);
  assert.match(run.stdout, /ok \d+ - an unknown path under the prefix is a 404 problem/);
});
