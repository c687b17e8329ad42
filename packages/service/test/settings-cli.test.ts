// npm run settings, as a process: it checks the environment as the service would, and shows what
// each setting is set to, never a secret's value.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

function settings(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'packages/service/src/settings-cli.ts', ...args],
    { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', cwd: new URL('../../../', import.meta.url) },
  );
  const rows = new Map(
    result.stdout
      .split('\n')
      .slice(2)
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .map(([, name = '', ...rest]) => [name.replaceAll('`', ''), rest] as const),
  );
  return { ...result, rows };
}

test('npm run settings shows each setting as set now, a secret only as "set"', () => {
  const { status, rows, stderr } = settings({
    MODULES: '@simple-rest/notes',
    PORT: '5001',
    DATABASE_URL: 'postgres://app:s3cret-password@db.example/app',
    NOTES_PURGE_AFTER_DAYS: '7',
  });
  assert.equal(status, 0, stderr);
  assert.deepEqual(rows.get('PORT')?.slice(0, 2), ['`5001`', '`5000`']);
  assert.deepEqual(rows.get('DATABASE_URL')?.slice(0, 2), ['set', '(unset)']);
  assert.deepEqual(rows.get('NOTES_PURGE_AFTER_DAYS')?.slice(0, 2), ['`7`', '`30`']);
  assert.deepEqual(rows.get('HOST')?.slice(0, 2), ['(default)', '`127.0.0.1`']);
  assert.ok(![...rows.values()].flat().some((cell) => cell.includes('s3cret')), 'the secret is not shown');
});

test("npm run settings exits 1 with the service's one line for a value it would refuse, its own or a module's", () => {
  const module = settings({ MODULES: '@simple-rest/notes', NOTES_PURGE_AFTER_DAYS: '99999' });
  assert.equal(module.status, 1);
  assert.equal(module.stdout, '');
  assert.match(module.stderr, /^Invalid configuration: NOTES_PURGE_AFTER_DAYS="99999" is not allowed: expected .+\n$/);
  const own = settings({ PORT: 'x' });
  assert.equal(own.status, 1);
  assert.equal(own.stderr, 'Invalid configuration: PORT="x" is not allowed: expected an integer from 0 to 65535\n');
});

test('npm run settings -- --defaults prints the README table: defaults, no current values', () => {
  const { status, stdout } = settings({ PORT: '5001' }, '--defaults');
  assert.equal(status, 0);
  assert.match(stdout, /^\| variable +\| default +\| allowed and meaning +\|\n/);
  assert.ok(!stdout.includes('5001'));
});
