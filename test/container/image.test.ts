// The image, tested with a real Docker engine: build, run read-only on loopback, and check
// what the dockerizer promises. Without an engine the suite skips with one line, unless
// REQUIRE_DOCKER=1 (CI), where a missing engine is a failure.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@simple-rest/testing';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { CONTRACT } from '../../packages/service/test/support/contract.js';
import { startOtlpReceiver } from '../../packages/service/test/support/otlp-receiver.js';

const DOCKER = process.env.DOCKER ?? (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
const IMAGE = 'simple-rest:latest';
const EXTENDED_IMAGE = `simple-rest-extended-test:${process.pid}`;
const BASE_IMAGE = 'gcr.io/distroless/nodejs24-debian13:nonroot';
const version: string = JSON.parse(readFileSync('packages/service/package.json', 'utf8')).version;

function docker(...args: string[]): string {
  return execFileSync(DOCKER, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function commandRuns(command: string, ...args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function engineIsUp(): boolean {
  return commandRuns(DOCKER, 'version', '--format', '{{.Server.Version}}');
}

/** Creates a module with create-module (--local), builds and packs it into `directory`; returns the tarball's name there. */
function packScaffoldedModule(directory: string): string {
  const project = join(directory, 'notes-project');
  const cli = 'packages/create-module/dist/cli.js';
  execFileSync(process.execPath, [cli, project, '--name', '@acme/notes', '--prefix', '/notes', '--local']);
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: project, stdio: 'ignore' });
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', directory], { cwd: project, encoding: 'utf8' }),
  ) as { filename: string }[];
  rmSync(project, { recursive: true, force: true });
  return packed?.filename ?? '';
}

/** Docker's --network host: the container's port is this machine's, so traffic stays on loopback. */
async function runContainer(name: string, env: Record<string, string> = {}, image = IMAGE) {
  const port = await freePort();
  const envArgs = Object.entries({ PORT: String(port), ...env }).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
  docker('run', '-d', '--name', name, '--network', 'host', '--read-only', ...envArgs, image);
  const url = `http://127.0.0.1:${port}`;
  if (await answersHealthz(url)) return url;
  throw new Error(`${name} did not answer on ${url}: ${docker('logs', name)}`);
}

/** Polls /healthz for up to five seconds. */
async function answersHealthz(url: string): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (
      await fetch(`${url}/healthz`).then(
        (res) => res.ok,
        () => false,
      )
    )
      return true;
    await sleep(100);
  }
  return false;
}

/** Waits up to 30 seconds for the image's HEALTHCHECK (or compose's) to pass. */
async function healthStatus(container: string): Promise<string> {
  let health = '';
  for (let attempt = 0; attempt < 60 && health !== 'healthy'; attempt++) {
    health = docker('inspect', '-f', '{{.State.Health.Status}}', container);
    if (health !== 'healthy') await sleep(500);
  }
  return health;
}

const engineUp = engineIsUp();
if (!engineUp && process.env.REQUIRE_DOCKER === '1') {
  throw new Error(`REQUIRE_DOCKER=1 but no Docker engine answers ${DOCKER} (start one with bash ../shared/docker/up)`);
}
// Compose v1 from Debian's packages: the v2 plugin is not packaged for this machine's Debian.
const composeRuns = commandRuns('docker-compose', 'version');
if (engineUp && !composeRuns && process.env.REQUIRE_DOCKER === '1') {
  throw new Error('REQUIRE_DOCKER=1 but docker-compose does not run (apt-get install docker-compose)');
}

describe('the Docker image', {
  skip: engineUp ? false : `no Docker engine answers ${DOCKER}; container tests skipped`,
}, () => {
  const containers: string[] = [];
  const name = (suffix: string) => {
    const container = `simple-rest-test-${process.pid}-${suffix}`;
    containers.push(container);
    return container;
  };

  const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();

  before(() => {
    const started = performance.now();
    execFileSync('bash', ['scripts/docker-build.sh', '--network', 'host', '--quiet'], {
      env: { ...process.env, DOCKER, NPM_CONFIG_REGISTRY: registry },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    console.log(`built ${IMAGE} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  after(() => {
    for (const container of containers) spawnSync(DOCKER, ['rm', '-f', container], { stdio: 'ignore' });
    spawnSync(DOCKER, ['rmi', '-f', EXTENDED_IMAGE], { stdio: 'ignore' });
  });

  test('labels: OCI version, revision, created, source, title, description, licenses', () => {
    const labels = JSON.parse(docker('image', 'inspect', '-f', '{{json .Config.Labels}}', IMAGE));
    assert.equal(labels['org.opencontainers.image.version'], version);
    assert.equal(
      labels['org.opencontainers.image.revision'],
      execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(),
    );
    assert.match(labels['org.opencontainers.image.created'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(labels['org.opencontainers.image.title'], 'simple-rest');
    assert.equal(labels['org.opencontainers.image.licenses'], 'MIT');
    assert.match(labels['org.opencontainers.image.source'], /^https:\/\//);
    assert.ok(labels['org.opencontainers.image.description'].length > 0);
    const tags = docker('image', 'inspect', '-f', '{{json .RepoTags}}', IMAGE);
    assert.deepEqual(JSON.parse(tags).sort(), [`simple-rest:${version}`, 'simple-rest:latest']);
  });

  test('production settings: NODE_ENV, non-root user, exec-form command, health check', () => {
    const config = JSON.parse(docker('image', 'inspect', '-f', '{{json .Config}}', IMAGE));
    assert.ok(config.Env.includes('NODE_ENV=production'));
    assert.ok(config.Env.includes('HOST=0.0.0.0'));
    assert.ok(config.Env.includes('PORT=5000'));
    assert.notEqual(config.User, '');
    assert.notEqual(config.User, 'root');
    assert.deepEqual(config.Cmd, ['--max-semi-space-size=4', 'dist/main.mjs']);
    assert.deepEqual(config.Healthcheck.Test, ['CMD', '/nodejs/bin/node', 'dist/healthcheck.mjs']);
  });

  test('the image holds only the bundled app: no npm node_modules, sources, source maps or tests', () => {
    const container = docker('create', IMAGE);
    containers.push(container);
    const listing = execFileSync(`${DOCKER} export ${container} | tar -t`, { encoding: 'utf8', shell: '/bin/bash' });
    const appFiles = listing
      .split('\n')
      .filter((path) => path.startsWith('app/') && !path.endsWith('/'))
      .sort();
    const allowed = [
      /^app\/package\.json$/,
      /^app\/dist\/(main|healthcheck)\.mjs$/,
      /^app\/dist\/service\.cjs$/,
      // What is loaded only when needed (OpenTelemetry when tracing is on, @fastify/swagger and
      // Swagger UI on the first /openapi.json or /docs), and esbuild's chunks of code they share.
      /^app\/dist\/(tracing|swagger|swagger-ui|[\w-]+-[A-Z0-9]{8})\.mjs$/,
      /^app\/dist\/(service\.cjs|[\w-]+\.mjs)\.LEGAL\.txt$/,
      // Node's compile cache, and the service's code cache (scripts/service-entry.mjs).
      /^app\/compile-cache\/v24\.[\d.]+-x64-\w+-\d+\/\w+$/,
      /^app\/compile-cache\/service-[0-9a-f]+-v24\.[\d.]+-x64\.v8$/,
      /^app\/dist\/static\/[\w.-]+\.(js|css|html|png|svg|json)$/,
      // Each module a package of its own, found by name (scripts/bundle.mjs), and the contract.
      /^app\/node_modules\/@simple-rest\/[\w-]+\/(package\.json|dist\/index\.js(\.LEGAL\.txt)?)$/,
      // A module's SQL migrations, which the host reads from beside its code.
      /^app\/node_modules\/@simple-rest\/[\w-]+\/migrations\/\d+_[\w.-]+\.sql$/,
    ];
    assert.ok(appFiles.length > 5);
    assert.deepEqual(
      appFiles.filter((path) => !allowed.some((pattern) => pattern.test(path))),
      [],
    );
  });

  test('the app adds at most 15 MB above the runtime base image', () => {
    const size = (image: string) => Number(docker('image', 'inspect', '-f', '{{.Size}}', image));
    const appBytes = size(IMAGE) - size(BASE_IMAGE);
    console.log(
      `image ${(size(IMAGE) / 1e6).toFixed(1)} MB, of which the app's layers ${(appBytes / 1e6).toFixed(2)} MB`,
    );
    assert.ok(appBytes <= 15e6, `${appBytes} bytes`);
  });

  test('read-only, as a non-root uid, it serves the contract and turns healthy', async () => {
    const container = name('contract');
    const url = await runContainer(container);
    for (const [path, body] of CONTRACT) {
      const res = await fetch(`${url}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8', path);
      assert.equal(await res.text(), body, path);
    }
    const redirect = await fetch(`${url}/Kalimaha`, { redirect: 'manual' });
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.get('location'), '/Kalimaha/');
    assert.equal((await fetch(`${url}/docs/`)).status, 200);

    // The engine's ps needs a pid column to map processes to the container.
    const uids = docker('top', container, '-eo', 'pid,uid')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/)[1]);
    assert.ok(uids.length > 0);
    for (const uid of uids) assert.equal(uid, '65532');

    assert.equal(await healthStatus(container), 'healthy');
  });

  test("the service's code comes from the caches written at build time, read-only", async () => {
    const config = JSON.parse(docker('image', 'inspect', '-f', '{{json .Config}}', IMAGE));
    assert.ok(config.Env.includes('NODE_COMPILE_CACHE=/app/compile-cache'));
    const container = name('compile-cache');
    const url = await runContainer(container, { NODE_DEBUG_NATIVE: 'COMPILE_CACHE', NODE_DEBUG: 'code-cache' });
    assert.equal((await fetch(`${url}/docs/`)).status, 200);
    assert.equal(await healthStatus(container), 'healthy');
    docker('stop', container); // on its way out, the service would write a cache it lacked
    // Node's debug lines go to stderr, which `docker logs` passes on as its own.
    const logs = spawnSync(DOCKER, ['logs', container], { encoding: 'utf8' });
    const debug = `${logs.stdout}${logs.stderr}`;
    for (const file of ['dist/main.mjs', 'node_modules/@simple-rest/blueprint/dist/index.js', 'dist/swagger-ui.mjs'])
      assert.match(debug, new RegExp(`reading cache from .* for ESM file:///app/${file}.*success`), file);
    assert.doesNotMatch(debug, /reading cache from .*no such file/);
    assert.match(debug, /CODE-CACHE \d+: \/app\/compile-cache\/service-\w+-v24[\d.]+-x64\.v8 accepted/);
    assert.doesNotMatch(debug, /CODE-CACHE .*(not read|rejected|written|not written)/);
  });

  test('with an OTLP endpoint, the container exports a span per request, joined to the caller by its traceparent', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const container = name('tracing');
      const url = await runContainer(container, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
      const traceId = 'c'.repeat(32);
      const res = await fetch(`${url}/blueprint/Kalimaha/`, {
        headers: { traceparent: `00-${traceId}-${'1'.repeat(16)}-01` },
      });
      assert.equal(await res.text(), 'Hallo Kalimaha!');
      docker('stop', container); // SIGTERM: the span is exported before the process exits
      const span = await receiver.waitForSpan((s) => s.traceId === traceId && s.kind === 2);
      assert.equal(span.name, 'GET /blueprint/:name/');
      assert.equal(span.parentSpanId, '1'.repeat(16));
      assert.equal(span.attributes['simple_rest.module.name'], '@simple-rest/blueprint');
    } finally {
      await receiver.close();
    }
  });

  test('MODULES mounts the bundled dice module by name', async () => {
    const url = await runContainer(name('modules'), { MODULES: '@simple-rest/blueprint=/blueprint,@simple-rest/dice' });
    assert.match(await (await fetch(`${url}/dice/2d6/`)).text(), /^2d6: [1-6] \+ [1-6] = \d+$/);
    const about = (await (await fetch(`${url}/version`)).json()) as { modules: { name: string }[] };
    assert.deepEqual(
      about.modules.map((module) => module.name),
      ['@simple-rest/blueprint', '@simple-rest/dice'],
    );
  });

  test('the image extended with modules from outside (examples/extra-modules), a scaffolded one that holds items included, mounts them by name', async () => {
    // Packed tarballs stand in for the registry: the lockfile, npm ci and the copy are the same.
    const context = mkdtempSync(join(tmpdir(), 'simple-rest-extra-'));
    try {
      const notes = packScaffoldedModule(context);
      const tarball = execFileSync(
        'npm',
        ['pack', '--pack-destination', context, 'test/container/fixtures/ping-module'],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      ).trim();
      const manifest = {
        name: 'extra-modules',
        private: true,
        dependencies: { '@example/ping': `file:${tarball}`, '@acme/notes': `file:${notes}` },
      };
      writeFileSync(join(context, 'package.json'), JSON.stringify(manifest));
      // Until our packages are published, npm must not look the modules' peers up in the registry.
      writeFileSync(join(context, '.npmrc'), 'legacy-peer-deps=true\n');
      execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], {
        cwd: context,
        stdio: 'ignore',
      });
      docker(
        'build',
        '--network',
        'host',
        '--quiet',
        '-f',
        'examples/extra-modules/Dockerfile',
        '--build-arg',
        `NPM_CONFIG_REGISTRY=${registry}`,
        '--build-arg',
        `BASE=${IMAGE}`,
        '--build-arg',
        'MODULES=@simple-rest/blueprint=/blueprint,@example/ping,@acme/notes@^0.1=/notes',
        '-t',
        EXTENDED_IMAGE,
        context,
      );
    } finally {
      rmSync(context, { recursive: true, force: true });
    }

    // The scaffolded module's writes need a token: test/outside-module/author-path.test.ts runs
    // them with one; here the image's mounting is the point.
    const url = await runContainer(name('extended'), { AUTH_DISABLED: 'true' }, EXTENDED_IMAGE);
    const pong = await fetch(`${url}/ping/`);
    assert.equal(pong.status, 200);
    assert.equal(pong.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(await pong.text(), 'pong');
    const redirect = await fetch(`${url}/ping`, { redirect: 'manual' });
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.get('location'), '/ping/');
    assert.equal(await (await fetch(`${url}/blueprint/Kalimaha/`)).text(), 'Hallo Kalimaha!');
    const about = (await (await fetch(`${url}/version`)).json()) as { modules: unknown[] };
    assert.deepEqual(about.modules, [
      { name: '@simple-rest/blueprint', version: '0.1.0', prefix: '/blueprint' },
      { name: '@example/ping', version: '1.2.3', prefix: '/ping' },
      { name: '@acme/notes', version: '0.1.0', prefix: '/notes' },
    ]);
    const put = (path: string) =>
      fetch(`${url}/notes/items/${path}`, {
        method: 'PUT',
        body: '{"text":"Buy milk"}',
        headers: { 'content-type': 'application/json' },
        redirect: 'manual',
      });
    assert.equal((await put('milk/')).status, 201);
    assert.deepEqual(await (await fetch(`${url}/notes/items/`)).json(), [{ id: 'milk', text: 'Buy milk' }]);
    const slashless = await put('milk');
    assert.equal(slashless.status, 308);
    assert.equal(slashless.headers.get('location'), '/notes/items/milk/');
  });

  test('compose.notes.yaml runs the notes on PostgreSQL, healthy, the notes kept in a volume across restarts', {
    skip: composeRuns ? false : 'docker-compose is missing',
  }, async () => {
    // No registry here: where postgres:17 is not on the engine, a stand-in is built from Debian's PostgreSQL 17.
    if (spawnSync(DOCKER, ['image', 'inspect', 'postgres:17'], { stdio: 'ignore' }).status !== 0) {
      docker('build', '--network', 'host', '--quiet', '-t', 'postgres:17', 'test/container/fixtures/postgres');
    }
    // As for compose.yaml: the host's network and free ports instead of the bridge and its names.
    const compose = parseYaml(readFileSync('compose.yaml', 'utf8'));
    const notes = parseYaml(readFileSync('compose.notes.yaml', 'utf8'));
    const [port, databasePort] = [await freePort(), await freePort()];
    const service = compose.services['simple-rest'];
    delete service.build;
    delete service.ports;
    Object.assign(service, { image: IMAGE, network_mode: 'host' });
    service.environment.PORT = String(port);
    const notesService = notes.services['simple-rest'];
    notesService.environment.DATABASE_URL = notesService.environment.DATABASE_URL.replace(
      '@postgres:5432/',
      `@127.0.0.1:${databasePort}/`,
    );
    const postgres = notes.services.postgres;
    Object.assign(postgres, { network_mode: 'host', command: ['postgres', '-p', String(databasePort)] });
    postgres.healthcheck.test = [...postgres.healthcheck.test, '-p', String(databasePort)];
    const directory = mkdtempSync(join(tmpdir(), 'simple-rest-compose-notes-'));
    const files = ['compose.yaml', 'compose.notes.yaml'].map((file) => join(directory, file));
    writeFileSync(files[0] as string, stringifyYaml(compose));
    writeFileSync(files[1] as string, stringifyYaml(notes));
    const project = `simple-rest-notes-test-${process.pid}`;
    const composeCli = (...args: string[]) =>
      execFileSync('docker-compose', ['-p', project, ...files.flatMap((file) => ['-f', file]), ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, NOTES_DB_PASSWORD: 's3cret-for-the-test' },
      });
    try {
      composeCli('up', '-d', '--no-build');
      const url = `http://127.0.0.1:${port}`;
      const app = `${project}_simple-rest_1`;
      if (!(await answersHealthz(url))) assert.fail(`compose's container did not answer: ${docker('logs', app)}`);
      assert.equal(await healthStatus(`${project}_postgres_1`), 'healthy');
      const put = await fetch(`${url}/notes/kept/`, {
        method: 'PUT',
        body: '{"text":"in a volume"}',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(put.status, 201);
      assert.equal((await fetch(`${url}/readyz`)).status, 200);
      assert.doesNotMatch(docker('logs', app), /s3cret-for-the-test/, 'the password is never logged');

      composeCli('stop');
      composeCli('up', '-d', '--no-build');
      if (!(await answersHealthz(url))) assert.fail(`compose's container did not answer: ${docker('logs', app)}`);
      let read = await fetch(`${url}/notes/kept/`);
      for (let attempt = 0; attempt < 50 && read.status === 503; attempt++) {
        await sleep(200);
        read = await fetch(`${url}/notes/kept/`);
      }
      assert.equal(read.status, 200);
      assert.equal(((await read.json()) as { text: string }).text, 'in a volume');
    } finally {
      spawnSync('docker-compose', ['-p', project, ...files.flatMap((file) => ['-f', file]), 'down', '--volumes'], {
        stdio: 'ignore',
      });
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test('compose.yaml runs it read-only, without capabilities, bounded, healthy', {
    skip: composeRuns ? false : 'docker-compose is missing',
  }, async () => {
    // This engine has no bridge network: the test's copy drops the port mapping for the host's
    // network and a free port, and uses the image built above; every other setting is kept.
    const compose = parseYaml(readFileSync('compose.yaml', 'utf8'));
    const service = compose.services['simple-rest'];
    const port = await freePort();
    delete service.build;
    delete service.ports;
    Object.assign(service, { image: IMAGE, network_mode: 'host' });
    service.environment.PORT = String(port);
    const directory = mkdtempSync(join(tmpdir(), 'simple-rest-compose-'));
    const file = join(directory, 'compose.yaml');
    writeFileSync(file, stringifyYaml(compose));
    const project = `simple-rest-test-${process.pid}`;
    const composeCli = (...args: string[]) =>
      execFileSync('docker-compose', ['-p', project, '-f', file, ...args], { stdio: 'ignore' });
    try {
      composeCli('up', '-d', '--no-build');
      const container = `${project}_simple-rest_1`;
      const host = JSON.parse(docker('inspect', '-f', '{{json .HostConfig}}', container));
      assert.equal(host.ReadonlyRootfs, true);
      assert.deepEqual(host.CapDrop, ['ALL']);
      assert.deepEqual(host.SecurityOpt, ['no-new-privileges:true']);
      assert.equal(host.Memory, 256 * 1024 * 1024);
      assert.equal(host.NanoCpus, 1e9);
      assert.equal(host.RestartPolicy.Name, 'unless-stopped');
      assert.deepEqual(Object.keys(host.Tmpfs), ['/tmp']);

      const url = `http://127.0.0.1:${port}`;
      if (!(await answersHealthz(url))) assert.fail(`compose's container did not answer: ${docker('logs', container)}`);
      assert.equal(await (await fetch(`${url}/blueprint/Kalimaha/`)).text(), 'Hallo Kalimaha!');

      assert.equal(await healthStatus(container), 'healthy');

      composeCli('stop');
      assert.equal(docker('inspect', '-f', '{{.State.ExitCode}}', container), '0');
    } finally {
      spawnSync('docker-compose', ['-p', project, '-f', file, 'down'], { stdio: 'ignore' });
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test('docker stop ends it gracefully: exit code 0, well before the 10-second kill', async () => {
    const container = name('stop');
    await runContainer(container);
    const started = performance.now();
    docker('stop', '-t', '10', container);
    const seconds = (performance.now() - started) / 1000;
    console.log(`docker stop took ${seconds.toFixed(2)} s`);
    assert.equal(docker('inspect', '-f', '{{.State.ExitCode}}', container), '0');
    assert.equal(docker('inspect', '-f', '{{.State.OOMKilled}}', container), 'false');
  });
});
