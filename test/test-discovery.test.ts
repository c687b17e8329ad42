// Every test file in the repository runs: the suites found on disk are exactly the test files
// git knows (tracked or new), at any depth, each in one suite.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { SEPARATE_SUITES, suiteFiles } from '../scripts/tests.js';

test('every *.test.ts, at any depth, is in exactly one test suite', () => {
  const known = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.test.ts'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((path) => path !== '')
    .sort();
  const suites = ['unit', ...Object.keys(SEPARATE_SUITES)].map((suite) => suiteFiles(suite));
  const found = suites.flat().sort();
  assert.deepEqual(found, known);
  assert.equal(new Set(found).size, found.length, 'no file is in two suites');
  assert.ok(
    known.some((path) => path.split('/').length >= 5),
    'the repository has test files four folders deep, and they are found',
  );
});
