import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

test('a module that breaks a promise fails the kit with the promise and the route named, once per promise', () => {
  const fixture = fileURLToPath(new URL('fixtures/broken-module.ts', import.meta.url));
  // Without NODE_TEST_CONTEXT, which would make the run report to this one instead of exiting 1.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--test', fixture], {
    encoding: 'utf8',
    env,
  });
  assert.equal(run.status, 1, run.stdout);
  for (const broken of [
    /promise "version matches package.json" broken/,
    /promise "every answer is documented" broken by GET \/broken\/Kalimaha\/: 500 .*\n\s*status 500 is not documented/,
    /promise "HEAD works wherever GET does" broken by HEAD \/broken\/Kalimaha\/: 204/,
    /promise "JSON negotiation" broken by GET \/broken\/buffer\/: 200 text\/plain/,
    /promise "slash-less redirects with 308" broken by GET \/broken\/Kalimaha\?q=1: 404 text\/plain/,
    /promise "a missing method is 405" broken by POST \/broken\/Kalimaha\/: 404/,
    /promise "preflights are answered" broken by OPTIONS \/broken\/Kalimaha\/: 200/,
    /promise "an invalid body is 400" broken by PUT \/broken\/a\/Kalimaha\/: 200/,
    /promise "a content type the route does not take is 415" broken by PUT \/broken\/b\/Kalimaha\/: 200/,
    /promise "a body over the limit \(1048576 bytes\) is 413" broken by PUT \/broken\/a\/Kalimaha\/: 200/,
    /promise "the module is ready" broken: \/readyz answered 503/,
    /promise "no token is 401" broken by GET \/broken\/secret\/: 200/,
    /promise "an unknown path is 404" broken by GET \/broken\/no\/such\/route\/: 404 text\/plain/,
    /not ok \d+ - any parameter, any encoding/,
    /promise "the document passes the linter" broken:\n\s*error operation-summary/,
    /promise "every route is documented" broken: GET \/broken\/hidden\/ is not in \/openapi.json/,
  ]) {
    assert.match(run.stdout, broken);
  }
  assert.match(run.stdout, /^\s*ok \d+ - it declares at least one route/m);
});

test("a protected module's setup seeds with request()'s token; a seed the host refuses fails the kit, naming it", () => {
  const fixture = fileURLToPath(new URL('fixtures/protected-module.ts', import.meta.url));
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const run = (seed: string) =>
    spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--test', fixture], {
      encoding: 'utf8',
      env: { ...env, SEED: seed },
    });
  const seeded = run('token');
  assert.equal(seeded.status, 0, seeded.stdout);
  const refused = run('bare');
  assert.equal(refused.status, 1, refused.stdout);
  assert.match(refused.stdout, /setup was refused:\n\s*PUT \/kept\/first\/: 401 \{"type":/);
});
