// What an outside author does, end to end: create a module outside this repository, install and
// test it, pack it, install the tarball beside a copy of the bundled service, and mount it by
// MODULES with a version range. Needs the bundle (npm run bundle) and the npm registry.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runToExit, startService } from '../../packages/service/test/support/process.js';
import { lintOpenApi } from '../../packages/testing/src/index.js';

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

test('a scaffolded module installs, passes its tests, packs, and the service mounts it by version range', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'simple-rest-outside-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const project = join(work, 'notes');
  const cli = join(root, 'packages/create-module/dist/cli.js');
  execFileSync(process.execPath, [cli, project, '--name', '@acme/notes', '--prefix', '/notes', '--local']);
  npm(project, 'install');
  assert.match(npm(project, 'test'), /^# pass [1-9]\d*\n# fail 0$/m);
  const tarball = join(project, JSON.parse(npm(project, 'pack', '--json'))[0].filename);

  const service = serviceWith(work, { '@acme/notes': `file:${tarball}` });
  const running = await startService(
    { MODULES: '@simple-rest/blueprint,@acme/notes@^0.1=/notes', NOTES_MAX_ITEMS: '2' },
    [],
    service,
  );
  t.after(() => running.child.kill('SIGKILL'));
  const ask = (path: string, init: RequestInit = {}) => fetch(`${running.url}/notes/items/${path}`, init);
  const put = (path: string, body: string, type = 'application/json') =>
    ask(path, { method: 'PUT', body, headers: { 'content-type': type }, redirect: 'manual' });

  const created = await put('milk/', '{"text":"Buy milk"}');
  assert.equal(created.status, 201);
  assert.equal(created.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.deepEqual(await created.json(), { id: 'milk', text: 'Buy milk' });
  assert.equal((await put('milk/', '{"text":"Buy oat milk"}')).status, 200);
  assert.deepEqual(await (await ask('milk/')).json(), { id: 'milk', text: 'Buy oat milk' });
  assert.deepEqual(await (await ask('')).json(), [{ id: 'milk', text: 'Buy oat milk' }]);
  assert.equal((await put('bread/', '{"text":"Bake"}')).status, 201);
  const full = await put('eggs/', '{"text":"Find"}');
  assert.equal(full.status, 409);
  assert.equal(full.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal((await ask('bread/', { method: 'DELETE' })).status, 204);
  const gone = await ask('bread/');
  assert.equal(gone.status, 404);
  assert.equal(((await gone.json()) as { detail: string }).detail, 'No item has the id bread');

  // What the host does for every module's writes.
  const invalid = await put('a/', '{"text":5}');
  assert.equal(invalid.status, 400);
  assert.equal(((await invalid.json()) as { detail: string }).detail, 'body/text must be string');
  assert.equal((await put('a/', 'text', 'text/plain')).status, 415);
  assert.equal((await put('a/', '{"text":"caf\u00e9"}', 'application/json; charset=iso-8859-1')).status, 415);
  assert.equal((await put('a/', JSON.stringify({ text: 'x'.repeat(70_000) }))).status, 413);
  const notAllowed = await ask('milk/', { method: 'POST' });
  assert.equal(notAllowed.status, 405);
  assert.equal(notAllowed.headers.get('allow'), 'DELETE, GET, HEAD, OPTIONS, PUT');
  const slashless = await put('milk', '{"text":"Buy milk"}');
  assert.equal(slashless.status, 308);
  assert.equal(slashless.headers.get('location'), '/notes/items/milk/');
  const preflight = await ask('milk/', {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-methods'), 'DELETE, GET, HEAD, PUT');
  assert.equal(preflight.headers.get('access-control-allow-headers'), 'Content-Type, Authorization');

  const version = (await (await fetch(`${running.url}/version`)).json()) as { modules: unknown[] };
  assert.deepEqual(version.modules[1], { name: '@acme/notes', version: '0.1.0', prefix: '/notes' });
  const openapi = await (await fetch(`${running.url}/openapi.json`)).json();
  const { paths } = openapi as { paths: Record<string, Record<string, unknown>> };
  assert.deepEqual(Object.keys(paths['/notes/items/{id}/'] ?? {}).sort(), ['delete', 'get', 'put']);
  assert.deepEqual(await lintOpenApi(openapi), []);

  const refused = await runToExit({ MODULES: '@acme/notes', NOTES_MAX_ITEMS: 'zero' }, service);
  assert.equal(refused.code, 1);
  assert.equal(
    refused.stderr,
    'Invalid configuration: NOTES_MAX_ITEMS="zero" is not allowed: expected an integer from 1 to 1000000\n',
  );
});

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
