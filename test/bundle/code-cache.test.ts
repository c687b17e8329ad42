// The bundle's entry point (scripts/service-entry.mjs) runs the service from a V8 code cache in
// NODE_COMPILE_CACHE: written on the way out when missing or rejected, read on the next start,
// and never in the way of serving. Node.js 20 runs without one: it loses import() in cached code.
// Needs the bundle (npm run test:bundle makes it); CI runs these on Node.js 20 and 22, the
// container tests on 24.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { runToExit, startService } from '../../packages/service/test/support/process.js';

const BUNDLE_ENTRY = new URL('../../packages/service/bundle/dist/main.mjs', import.meta.url).pathname;
const CACHE_FILE = /^service-[0-9a-f]+-v\d+\.\d+\.\d+-\w+\.v8$/;
const CACHING = Number(process.versions.node.split('.')[0]) >= 22;

/** What the entry point reports with a cache directory: these lines, or on Node.js 20 that it is off. */
const reported = (lines: string[]) => (CACHING ? lines : [`off on Node.js ${process.version}`]);

/** Starts the bundle, asks the blueprint, stops it with SIGTERM; returns its exit code and debug lines. */
async function runOnce(env: Record<string, string>) {
  const service = await startService(
    { MODULES: '@simple-rest/blueprint', NODE_DEBUG: 'code-cache', ...env },
    [],
    BUNDLE_ENTRY,
  );
  let stderr = '';
  service.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const res = await fetch(`${service.url}/blueprint/Kalimaha/`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'Hallo Kalimaha!');
  service.child.kill('SIGTERM');
  const code = await service.exited;
  // Nothing else on stderr: no warning either (Node's, about vm.USE_MAIN_CONTEXT_DEFAULT_LOADER).
  const lines = stderr.split('\n').filter((line) => line !== '');
  for (const line of lines) assert.match(line, /^CODE-CACHE \d+: /);
  return { code, debug: lines.map((line) => line.replace(/^CODE-CACHE \d+: (\/\S+ )?/, '')) };
}

function cacheDirectory(t: TestContext): string {
  const directory = mkdtempSync(join(tmpdir(), 'code-cache-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** The code cache files in `directory` (Node's own compile cache is a folder beside them). */
const cacheFiles = (directory: string) =>
  readdirSync(directory)
    .filter((name) => CACHE_FILE.test(name))
    .map((name) => join(directory, name));

test('the first start writes the code cache on its way out; the next reads it and writes nothing', async (t) => {
  const directory = cacheDirectory(t);
  const first = await runOnce({ NODE_COMPILE_CACHE: directory });
  assert.equal(first.code, 0);
  assert.deepEqual(first.debug, reported(['not read: ENOENT', 'written']));
  const files = cacheFiles(directory);
  assert.equal(files.length, CACHING ? 1 : 0);
  const written = files.map((file) => readFileSync(file));
  for (const cache of written) assert.ok(cache.length > 100_000, `${cache.length} bytes: start-up's code, not just the top level`);

  const second = await runOnce({ NODE_COMPILE_CACHE: directory });
  assert.equal(second.code, 0);
  assert.deepEqual(second.debug, reported(['accepted']));
  assert.deepEqual(
    cacheFiles(directory).map((file) => readFileSync(file)),
    written,
  );
});

test('a cache V8 rejects is ignored, and written anew', async (t) => {
  const directory = cacheDirectory(t);
  const garbage = Buffer.alloc(4096, 7);
  // The name the entry point reads: learnt from a first start where it caches.
  await runOnce({ NODE_COMPILE_CACHE: directory });
  for (const file of cacheFiles(directory)) writeFileSync(file, garbage);

  const { code, debug } = await runOnce({ NODE_COMPILE_CACHE: directory });
  assert.equal(code, 0);
  assert.deepEqual(debug, reported(['rejected', 'written']));
  for (const file of cacheFiles(directory)) assert.notDeepEqual(readFileSync(file), garbage);
  assert.deepEqual((await runOnce({ NODE_COMPILE_CACHE: directory })).debug, reported(['accepted']));
});

test('a cache directory that cannot be written leaves the service serving and exiting 0', async (t) => {
  const notADirectory = join(cacheDirectory(t), 'file');
  writeFileSync(notADirectory, '');
  const { code, debug } = await runOnce({ NODE_COMPILE_CACHE: join(notADirectory, 'cache') });
  assert.equal(code, 0);
  assert.deepEqual(debug, reported(['not read: ENOTDIR', 'not written: ENOTDIR']));
});

test('a start that fails writes no cache: it would hold only what ran before the failure', async (t) => {
  const directory = cacheDirectory(t);
  const { code, stderr } = await runToExit(
    { MODULES: '@simple-rest/not-installed', NODE_DEBUG: 'code-cache', NODE_COMPILE_CACHE: directory },
    BUNDLE_ENTRY,
  );
  assert.equal(code, 1);
  assert.match(stderr, /MODULES names "@simple-rest\/not-installed", which is not installed/);
  assert.deepEqual(cacheFiles(directory), []);
});

test('without NODE_COMPILE_CACHE, or with NODE_DISABLE_COMPILE_CACHE, no cache is read or written', async (t) => {
  assert.deepEqual((await runOnce({})).debug, []);
  const directory = cacheDirectory(t);
  assert.deepEqual((await runOnce({ NODE_COMPILE_CACHE: directory, NODE_DISABLE_COMPILE_CACHE: '1' })).debug, []);
  assert.deepEqual(readdirSync(directory), []);
});
