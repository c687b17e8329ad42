// Two majors of one module side by side, installed beside a copy of the bundled service under npm
// aliases and mounted by MODULES with version ranges (author-path.test.ts walks one outside
// module from scaffold to image). Needs the bundle (npm run bundle) and the npm registry.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runToExit, startService } from '../../packages/service/test/support/process.js';

const root = new URL('../..', import.meta.url).pathname;
// Without NODE_TEST_CONTEXT, which would make the module's own test run report to this one.
const { NODE_TEST_CONTEXT: _, ...env } = process.env;
const npm = (cwd: string, ...args: string[]) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, env, encoding: 'utf8', stdio: 'pipe' });

/**
 * A copy of the bundled service with packages installed beside it, as examples/extra-modules
 * does for the image: their own trees without peers, which the service provides (and which are
 * not published where this runs). Returns the entry point.
 */
function serviceWith(work: string, dependencies: Record<string, string>): string {
  const service = join(work, 'service');
  cpSync(join(root, 'packages/service/bundle'), service, { recursive: true });
  const modules = join(work, 'modules');
  mkdirSync(modules);
  writeFileSync(join(modules, 'package.json'), JSON.stringify({ name: 'extra-modules', private: true, dependencies }));
  npm(modules, 'install', '--legacy-peer-deps', '--install-links', '--omit=dev');
  cpSync(join(modules, 'node_modules'), join(service, 'node_modules'), { recursive: true });
  return join(service, 'dist/main.mjs');
}

test('two majors of one module side by side, under npm aliases, each with its version range', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'simple-rest-aliases-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  // Two releases of the blueprint, as the registry would hold them: 1.0.0 and 2.0.0.
  const [packed] = JSON.parse(
    npm(root, 'pack', '--json', '--pack-destination', work, '--workspace', 'packages/blueprint'),
  );
  for (const major of [1, 2]) {
    const release = join(work, `blueprint-${major}`);
    mkdirSync(release);
    execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', release, '--strip-components=1']);
    const manifestPath = join(release, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, version: `${major}.0.0` }));
  }
  // What `"greet-v1": "npm:@simple-rest/blueprint@1"` installs: the package under another name.
  const entryPoint = serviceWith(work, {
    'greet-v1': `file:${join(work, 'blueprint-1')}`,
    'greet-v2': `file:${join(work, 'blueprint-2')}`,
  });

  const running = await startService({ MODULES: 'greet-v1@^1=/v1/greet,greet-v2@^2=/v2/greet' }, [], entryPoint);
  t.after(() => running.child.kill('SIGKILL'));
  for (const prefix of ['/v1/greet', '/v2/greet']) {
    assert.equal(await (await fetch(`${running.url}${prefix}/Kalimaha/`)).text(), 'Hallo Kalimaha!');
  }
  const version = (await (await fetch(`${running.url}/version`)).json()) as { modules: unknown[] };
  assert.deepEqual(version.modules, [
    { name: '@simple-rest/blueprint', version: '1.0.0', prefix: '/v1/greet' },
    { name: '@simple-rest/blueprint', version: '2.0.0', prefix: '/v2/greet' },
  ]);
  const openapi = (await (await fetch(`${running.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  for (const path of ['/v1/greet/', '/v1/greet/{name}/', '/v2/greet/', '/v2/greet/{name}/']) {
    assert.ok(openapi.paths[path], `${path} in ${Object.keys(openapi.paths).join(' ')}`);
  }

  const refused = await runToExit({ MODULES: 'greet-v1@^2=/v1/greet' }, entryPoint);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, 'Invalid configuration: MODULES wants "greet-v1" at ^2, but 1.0.0 is installed\n');
});
