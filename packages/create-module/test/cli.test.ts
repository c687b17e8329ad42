import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

test('create-module with bad arguments: one line, exit 1, nothing written', () => {
  const parent = mkdtempSync(join(tmpdir(), 'simple-rest-create-'));
  try {
    writeFileSync(join(parent, 'taken'), '');
    for (const [args, message] of [
      [['fresh', '--name', 'Bad Name'], /^create-module: "Bad Name" is not a valid package name: /],
      [['fresh', '--name', '@acme/x', '--prefix', 'x/'], /^create-module: "x\/" is not a valid prefix: /],
      [['.', '--name', '@acme/x'], /^create-module: .* exists and is not empty\n$/],
      [['fresh'], /^create-module: usage: create-module <dir> --name <package>/],
    ] as const) {
      const run = spawnSync(process.execPath, [cli, ...args], {
        cwd: parent,
        encoding: 'utf8',
      });
      assert.equal(run.status, 1, args.join(' '));
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.deepEqual(readdirSync(parent), ['taken']);
    }
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
