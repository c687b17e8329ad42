// An outside team's module, from scaffold to a running image: the commands of docs/modules.md
// ("An outside module, from scaffold to image"), in its order, on a copy of this repository as a
// fresh clone has it after `npm ci`. The image step runs where a Docker engine answers, and must
// with REQUIRE_DOCKER=1 (CI). Needs the npm registry.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runToExit, startService } from '../../packages/service/test/support/process.js';
import { freePort, lintOpenApi, waitFor } from '../../packages/testing/src/index.js';
import { runIssuerCommand } from '../auth/issuer-command.js';

const root = new URL('../..', import.meta.url).pathname;
const DOCKER = process.env.DOCKER ?? 'docker';
const ORIGIN = 'https://app.example';
// Without NODE_TEST_CONTEXT, which would make the module's own test run report to this one; npm
// quiet about audits and funding.
const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
const env = { ...inherited, NPM_CONFIG_AUDIT: 'false', NPM_CONFIG_FUND: 'false' };
const run = (cwd: string, command: string, ...args: string[]) =>
  execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: 'pipe' });
const npm = (cwd: string, ...args: string[]) => run(cwd, 'npm', ...args);
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const engineUp = spawnSync(DOCKER, ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore' }).status === 0;
if (!engineUp && process.env.REQUIRE_DOCKER === '1') {
  throw new Error(`REQUIRE_DOCKER=1 but no Docker engine answers ${DOCKER} (start one with bash ../shared/docker/up)`);
}

/** This repository's files as a clone has them (tracked, and new ones not ignored), in `target`. */
function copyCheckout(target: string): void {
  mkdirSync(target);
  const files = run(root, 'git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard')
    .split('\0')
    .filter((file) => file !== '');
  for (const file of files) {
    try {
      cpSync(join(root, file), join(target, file), { recursive: false });
    } catch (error) {
      // A file deleted in the work tree but still tracked: a clone would not have it either.
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
  }
}

/** The curl of step 4: a protected PUT from a page on another origin. */
const putFromPage = (url: string, token?: string) =>
  fetch(`${url}/bookings/items/first/`, {
    method: 'PUT',
    body: '{"text":"Room 4, 9:00"}',
    headers: {
      'content-type': 'application/json',
      origin: ORIGIN,
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
  });

/** What a browser page on another origin may read of a created item: its Location. */
async function assertCreatedAndReadable(url: string, token: string): Promise<void> {
  const anonymous = await putFromPage(url);
  assert.equal(anonymous.status, 401);
  const created = await putFromPage(url, token);
  assert.equal(created.status, 201);
  assert.equal(created.headers.get('location'), '/bookings/items/first/');
  assert.equal(created.headers.get('access-control-allow-origin'), '*');
  assert.equal(created.headers.get('access-control-expose-headers'), 'X-Request-Id, Location');
  assert.deepEqual(await created.json(), { id: 'first', text: 'Room 4, 9:00' });
  const read = await fetch(`${url}/bookings/items/first/`, { headers: { origin: ORIGIN } });
  assert.equal(read.status, 200);
  assert.equal(read.headers.get('access-control-expose-headers'), 'X-Request-Id');
}

test("an outside team's module, from scaffold to a running image, by docs/modules.md's commands", async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'simple-rest-author-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const checkout = join(work, 'simple-rest');
  copyCheckout(checkout);
  npm(checkout, 'ci');

  // 1. Create, 3. test (the kit seeds the protected write with setup's request()) and pack.
  npm(checkout, 'run', 'create-module', '--', '../bookings', '--name', '@acme/bookings', '--local');
  const project = join(work, 'bookings');
  npm(project, 'install');
  const tested = npm(project, 'test');
  assert.match(tested, /^# pass [1-9]\d*\n# fail 0$/m);
  assert.doesNotMatch(tested, /setup was refused/);
  npm(project, 'pack');
  const tarball = join(project, 'acme-bookings-0.1.0.tgz');

  // 4. Locally: installed without touching the checkout's manifest or lockfile, then run
  // against the local issuer (npm start is the build, then this entry point).
  const manifests = ['package.json', 'package-lock.json'].map((file) => digest(join(checkout, file)));
  npm(checkout, 'install', '--no-save', '--legacy-peer-deps', '../bookings/acme-bookings-0.1.0.tgz');
  assert.deepEqual(
    ['package.json', 'package-lock.json'].map((file) => digest(join(checkout, file))),
    manifests,
    'npm install --no-save changed the checkout',
  );
  const { settings: auth, token } = await runIssuerCommand(t, { cwd: checkout, env, modules: '@acme/bookings' });
  assert.equal(auth.AUTH_AUDIENCE, 'simple-rest');
  npm(checkout, 'run', 'build');
  const modules = '@simple-rest/blueprint=/blueprint,@acme/bookings@^0.1';
  const local = await startService(
    { MODULES: modules, ...auth, MAX_EVENT_LOOP_DELAY_MS: '0' },
    [],
    join(checkout, 'packages/service/dist/main.js'),
  );
  t.after(() => local.child.kill('SIGKILL'));
  await waitFor(async () => (await fetch(`${local.url}/readyz`)).status === 200, { what: 'the service is ready' });
  await assertCreatedAndReadable(local.url, token);
  const version = (await (await fetch(`${local.url}/version`)).json()) as { modules: unknown[] };
  assert.deepEqual(version.modules[1], { name: '@acme/bookings', version: '0.1.0', prefix: '/bookings' });
  assert.deepEqual(await lintOpenApi(await (await fetch(`${local.url}/openapi.json`)).json()), []);
  const refused = await runToExit(
    { MODULES: modules, ...auth, BOOKINGS_MAX_ITEMS: 'zero' },
    join(checkout, 'packages/service/dist/main.js'),
  );
  assert.equal(refused.code, 1);
  assert.equal(
    refused.stderr,
    'Invalid configuration: BOOKINGS_MAX_ITEMS="zero" is not allowed: expected an integer from 1 to 1000000\n',
  );

  // 5. The image: the service's, then examples/extra-modules in a folder of its own.
  if (!engineUp) {
    t.diagnostic('no Docker engine answers: the image step was not run (REQUIRE_DOCKER=1 makes this a failure)');
    return;
  }
  const registry = npm(checkout, 'config', 'get', 'registry').trim();
  const build = (cwd: string, ...args: string[]) =>
    run(
      cwd,
      DOCKER,
      'build',
      '--network',
      'host',
      '--quiet',
      '--build-arg',
      `NPM_CONFIG_REGISTRY=${registry}`,
      ...args,
    );
  run(checkout, 'bash', 'scripts/docker-build.sh', '--network', 'host', '--quiet');
  const folder = join(work, 'bookings-image');
  mkdirSync(folder);
  cpSync(join(checkout, 'examples/extra-modules/Dockerfile'), join(folder, 'Dockerfile'));
  cpSync(tarball, join(folder, 'acme-bookings-0.1.0.tgz'));
  writeFileSync(join(folder, '.npmrc'), 'legacy-peer-deps=true\n');
  npm(folder, 'init', '-y');
  npm(folder, 'install', '--package-lock-only', './acme-bookings-0.1.0.tgz');
  const image = 'simple-rest-bookings:author-path';
  build(folder, '-t', image, '--build-arg', 'BASE=simple-rest', '--build-arg', `MODULES=${modules}`, '.');
  t.after(() => spawnSync(DOCKER, ['image', 'rm', '-f', image], { stdio: 'ignore' }));
  const port = await freePort();
  const container = `simple-rest-author-path-${process.pid}`;
  run(
    checkout,
    DOCKER,
    'run',
    '-d',
    '--name',
    container,
    '--network',
    'host',
    '--read-only',
    '-e',
    `PORT=${port}`,
    ...Object.entries(auth).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
    image,
  );
  t.after(() => spawnSync(DOCKER, ['rm', '-f', container], { stdio: 'ignore' }));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200, {
    what: 'the image with the module is ready',
    timeoutMs: 30_000,
  });
  await assertCreatedAndReadable(url, token);
});
