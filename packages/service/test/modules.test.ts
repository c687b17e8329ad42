import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import blueprint from '@simple-rest/blueprint';
import { CONTRACT_VERSION } from '@simple-rest/module-contract';
import { ConfigError, parseModuleList } from '../src/config/index.js';
import { resolveModules } from '../src/modules.js';
import { buildTestApp } from './support/app.js';

test('parseModuleList reads version ranges, also with = in them', () => {
  assert.deepEqual(parseModuleList('@acme/weather@^1.2=/weather,greet-v1@>=1.0.0 <2=/v1/greet,dice@1'), [
    { packageName: '@acme/weather', versionRange: '^1.2', prefix: '/weather' },
    { packageName: 'greet-v1', versionRange: '>=1.0.0 <2', prefix: '/v1/greet' },
    { packageName: 'dice', versionRange: '1' },
  ]);
  assert.throws(() => parseModuleList('@acme/weather@^^1'), {
    message: 'Invalid configuration: MODULES names "@acme/weather@^^1", which is not a valid version range',
  });
});

test('an installed version outside the range is refused with one line naming both', async () => {
  await assertRefused(
    '@simple-rest/blueprint@^2',
    'Invalid configuration: MODULES wants "@simple-rest/blueprint" at ^2, but 0.1.0 is installed',
  );
  const [mounted] = await resolveModules(parseModuleList('@simple-rest/blueprint@^0.1=/greet'), {});
  assert.equal(mounted?.prefix, '/greet');
});

test('a module built for another major of the contract is refused', async () => {
  const manifest = () => ({ version: '3.0.0', peerDependencies: { '@simple-rest/module-contract': '^2.0.0' } });
  await assert.rejects(
    resolveModules(
      parseModuleList('@simple-rest/blueprint'),
      {},
      { importer: (name) => import(name), readManifest: manifest },
    ),
    {
      message:
        'Invalid configuration: MODULES names "@simple-rest/blueprint" 3.0.0, built for the module contract ^2.0.0; this service has 0.2.0',
    },
  );
  for (const range of ['^0.2.0', '^0.1.0', '^0.1.0 || ^0.2.0']) {
    const fits = () => ({ version: '3.0.0', peerDependencies: { '@simple-rest/module-contract': range } });
    const mounted = await resolveModules(
      parseModuleList('@simple-rest/blueprint'),
      {},
      { importer: (name) => import(name), readManifest: fits },
    );
    assert.equal(mounted.length, 1, `a module of routes alone declaring ${range} mounts`);
  }
});

test('a module that uses what contract 0.2 added (settings, create, database, jobs) must not declare a range 0.1 satisfies', async () => {
  const withSettings = async () => ({
    default: { ...blueprint, settings: { GREETING: { type: 'string', default: 'Hallo', description: 'the word' } } },
  });
  for (const range of ['^0.1.0', '^0.1.0 || ^0.2.0']) {
    const manifest = () => ({ version: '1.0.0', peerDependencies: { '@simple-rest/module-contract': range } });
    await assert.rejects(
      resolveModules(parseModuleList('@simple-rest/blueprint'), {}, { importer: withSettings, readManifest: manifest }),
      {
        message: `Invalid configuration: MODULES names "@simple-rest/blueprint" 1.0.0, which uses settings (module contract 0.2.0) but declares the contract ${range}, which a host of 0.1.0 would serve without them: declare ^0.2.0`,
      },
    );
  }
  const declared = () => ({ version: '1.0.0', peerDependencies: { '@simple-rest/module-contract': '^0.2.0' } });
  assert.equal(
    (
      await resolveModules(
        parseModuleList('@simple-rest/blueprint'),
        {},
        { importer: withSettings, readManifest: declared },
      )
    ).length,
    1,
  );
});

test('CONTRACT_VERSION is the contract package version', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../module-contract/package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  assert.equal(CONTRACT_VERSION, manifest.version);
});

test('parseModuleList reads package[=/prefix] entries', () => {
  assert.deepEqual(parseModuleList('@simple-rest/blueprint=/blueprint,@simple-rest/dice'), [
    { packageName: '@simple-rest/blueprint', prefix: '/blueprint' },
    { packageName: '@simple-rest/dice' },
  ]);
  assert.deepEqual(parseModuleList(''), []);
});

async function assertRefused(list: string, message: string) {
  await assert.rejects(
    async () => resolveModules(parseModuleList(list), {}),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, message);
      return true;
    },
  );
}

test('a package that is not installed is refused', () =>
  assertRefused(
    '@simple-rest/nowhere',
    'Invalid configuration: MODULES names "@simple-rest/nowhere", which is not installed',
  ));

test('a package that is not a module is refused', () =>
  assertRefused(
    'pino',
    'Invalid configuration: MODULES names "pino", which is not a simple-rest module (its default export is not a RestModule)',
  ));

test('an invalid prefix is refused', async () => {
  for (const prefix of ['/a/..', '/.hidden', '/a/./b']) {
    await assertRefused(
      `@simple-rest/blueprint=${prefix}`,
      `Invalid configuration: MODULES mounts "@simple-rest/blueprint" at "${prefix}", which is not a valid prefix (expected /segment[/segment…], no "." or ".." segments, no trailing slash)`,
    );
  }
});

test('two modules at one prefix, or one inside another, are refused', async () => {
  await assertRefused(
    '@simple-rest/blueprint=/x,@simple-rest/dice=/x',
    'Invalid configuration: MODULES mounts "@simple-rest/dice" at /x and "@simple-rest/blueprint" at /x; prefixes must not be equal or nested',
  );
  await assertRefused(
    '@simple-rest/blueprint=/x,@simple-rest/dice=/x/y',
    'Invalid configuration: MODULES mounts "@simple-rest/dice" at /x/y and "@simple-rest/blueprint" at /x; prefixes must not be equal or nested',
  );
});

/** The first segment of every operations route, as the README lists them. */
const OPERATIONS_PATHS = ['/healthz', '/readyz', '/version', '/metrics', '/openapi.json', '/docs'];

test('a prefix that shadows a service route is refused', async (t) => {
  const refuses = (moduleList: string, shadowed: string) =>
    assert.rejects(buildTestApp(t, { moduleList }), {
      name: 'ConfigError',
      message: `Invalid configuration: MODULES mounts "@simple-rest/dice" at ${moduleList.split('=')[1]}, which shadows the service's route ${shadowed}`,
    });
  for (const path of OPERATIONS_PATHS) await refuses(`@simple-rest/dice=${path}`, path);
  await refuses('@simple-rest/dice=/metrics/dice', '/metrics');
  await refuses('@simple-rest/dice=/docs/static', '/docs');
});

test('the reserved paths are derived from the operations routes as registered', async (t) => {
  const app = await buildTestApp(t);
  const firstSegments = new Set(app.operationsPaths.map((path) => `/${path.split('/')[1]}`));
  assert.deepEqual([...firstSegments].sort(), [...OPERATIONS_PATHS].sort());
});

test('a module is not mounted unless MODULES names it', async (t) => {
  const app = await buildTestApp(t);
  assert.equal((await app.inject({ url: '/dice/3d6/' })).statusCode, 404);
});

test('two modules at once, each with the host behaviour', async (t) => {
  const app = await buildTestApp(t, { moduleList: '@simple-rest/blueprint=/blueprint,@simple-rest/dice' });
  assert.equal((await app.inject({ url: '/blueprint/Kalimaha/' })).body, 'Hallo Kalimaha!');
  const rolled = await app.inject({ url: '/dice/2d6/', headers: { accept: 'application/json' } });
  assert.equal(rolled.statusCode, 200);
  assert.match(rolled.json().message, /^2d6: [1-6] \+ [1-6] = \d+$/);
  const redirect = await app.inject({ url: '/dice/2d6?seed=1' });
  assert.equal(redirect.statusCode, 308);
  assert.equal(redirect.headers.location, '/dice/2d6/?seed=1');
  const bad = await app.inject({ url: '/dice/0d6/' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.deepEqual(bad.json(), {
    type: 'about:blank',
    title: 'Bad Request',
    status: 400,
    detail: '"0d6" is not dice notation: expected NdM with 1 to 100 dice of 2 to 1000 sides, such as 3d6',
  });
  assert.deepEqual((await app.inject({ url: '/version' })).json().modules, [
    { name: '@simple-rest/blueprint', version: '0.1.0', prefix: '/blueprint' },
    { name: '@simple-rest/dice', version: '0.1.0', prefix: '/dice' },
  ]);
  const spec = (await app.inject({ url: '/openapi.json' })).json();
  assert.deepEqual(spec.paths['/dice/{notation}/'].get.tags, ['dice']);
});

test('the same module at two prefixes serves both, and /version lists both', async (t) => {
  const app = await buildTestApp(t, {
    moduleList: '@simple-rest/blueprint=/blueprint,@simple-rest/blueprint=/hallo/v2',
  });
  assert.equal((await app.inject({ url: '/blueprint/Ann/' })).body, 'Hallo Ann!');
  assert.equal((await app.inject({ url: '/hallo/v2/Ann/' })).body, 'Hallo Ann!');
  assert.equal((await app.inject({ url: '/hallo/v2' })).headers.location, '/hallo/v2/');
  assert.deepEqual((await app.inject({ url: '/version' })).json().modules, [
    { name: '@simple-rest/blueprint', version: '0.1.0', prefix: '/blueprint' },
    { name: '@simple-rest/blueprint', version: '0.1.0', prefix: '/hallo/v2' },
  ]);
});

test('with no modules, only the service routes are served', async (t) => {
  const app = await buildTestApp(t, { moduleList: '' });
  assert.equal((await app.inject({ url: '/' })).body, 'Hallo from CORE!');
  assert.equal((await app.inject({ url: '/blueprint/' })).body, 'Hallo blueprint from CORE!');
  assert.deepEqual((await app.inject({ url: '/version' })).json().modules, []);
});
