// Finds the test files on disk, at any depth, and runs a suite of them with Node's test runner:
//   node --import tsx scripts/tests.ts unit|container|outside-module [extra node --test flags]
//   node --import tsx ../../scripts/tests.ts package   (from a package: its own test/ folder)
// Every *.test.ts under packages/*/test and test/ is in exactly one suite, so a new test file
// runs without being listed anywhere (test/test-discovery.test.ts checks this against git).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders whose tests need what the unit suite does not have: a Docker engine, the bundle. */
export const SEPARATE_SUITES: Readonly<Record<string, string>> = {
  bundle: 'test/bundle/',
  container: 'test/container/',
  'outside-module': 'test/outside-module/',
};

/** Every test file below the repository's test folders, relative to `root`, sorted. */
function findTestFiles(root = '.'): string[] {
  const folders = [
    ...readdirSync(join(root, 'packages')).map((name) => `packages/${name}/test`),
    // The scaffold's template is a module project of its own, tested here as it stands.
    'packages/create-module/template/test',
    'test',
  ];
  return folders.flatMap((folder) => testFilesIn(root, folder)).sort();
}

function testFilesIn(root: string, folder: string): string[] {
  if (!existsSync(join(root, folder))) return [];
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .map((path) => `${folder}/${path}`)
    .filter((path) => path.endsWith('.test.ts') && !path.includes('node_modules'));
}

/** The files of one suite: a separate suite's folder, or for `unit` everything else. */
export function suiteFiles(suite: string, root = '.'): string[] {
  const separate = Object.values(SEPARATE_SUITES);
  const files = findTestFiles(root);
  if (suite === 'unit') return files.filter((path) => !separate.some((folder) => path.startsWith(folder)));
  const folder = SEPARATE_SUITES[suite];
  if (folder === undefined) throw new Error(`no test suite "${suite}"`);
  return files.filter((path) => path.startsWith(folder));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [suite = 'unit', ...flags] = process.argv.slice(2);
  const files = suite === 'package' ? testFilesIn('.', 'test').sort() : suiteFiles(suite);
  const args = ['--conditions=source', '--import', 'tsx', '--test', '--test-reporter=spec', ...flags];
  const run = spawnSync(process.execPath, [...args, ...files], { stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
}
