import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CONTRACT_VERSION,
  defineModule,
  emptyResponse,
  isPrefix,
  isRestModule,
  jsonResponse,
  PROBLEM_SCHEMA_REF,
  problemResponse,
} from '../src/index.js';

const packageJson = new URL('../package.json', import.meta.url);
const routes = async () => undefined;
const openapi = { tag: 't', description: 'd' };

test('defineModule takes name and version from the package.json, and keeps the lifecycle hooks', () => {
  const close = () => undefined;
  const module = defineModule({ packageJson, defaultPrefix: '/t', routes, openapi, close });
  assert.equal(module.name, '@simple-rest/module-contract');
  assert.equal(module.version, CONTRACT_VERSION);
  assert.equal(module.close, close);
  assert.equal(module.ready, undefined);
  assert.ok(Object.isFrozen(module) && Object.isFrozen(module.openapi));
  assert.equal(isRestModule(module), true);
});

test('defineModule refuses a package.json without a string name and version', (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'module-contract-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  const bad = pathToFileURL(join(directory, 'package.json'));
  writeFileSync(bad, '{"name":"x"}');
  assert.throws(() => defineModule({ packageJson: bad, defaultPrefix: '/t', routes, openapi }), {
    name: 'TypeError',
    message: /has no string "name" and "version"/,
  });
});

test('isRestModule checks the shape a host relies on', () => {
  const valid = { name: 'a', version: '1.0.0', defaultPrefix: '/a', routes, openapi };
  assert.equal(isRestModule(valid), true);
  for (const broken of [
    null,
    'module',
    { ...valid, name: 1 },
    { ...valid, defaultPrefix: 'a' },
    { ...valid, defaultPrefix: '/a/..' },
    { ...valid, routes: 'not a plugin' },
    { ...valid, openapi: { tag: 't' } },
    { ...valid, ready: true },
    { ...valid, close: 'later' },
  ]) {
    assert.equal(isRestModule(broken), false, JSON.stringify(broken));
  }
});

test('a module has routes or create(), never both; settings are a record', () => {
  const base = { name: 'a', version: '1.0.0', defaultPrefix: '/a', openapi };
  const create = () => ({ routes });
  assert.equal(isRestModule({ ...base, create, settings: { A_X: { type: 'integer', description: 'x' } } }), true);
  assert.equal(isRestModule({ ...base, routes, create }), false);
  assert.equal(isRestModule(base), false);
  assert.equal(isRestModule({ ...base, create: 'later' }), false);
  assert.equal(isRestModule({ ...base, routes, settings: 'A_X' }), false);
});

test('defineModule keeps create() and settings; the response helpers document JSON, problems and empty answers', () => {
  const module = defineModule({
    packageJson,
    defaultPrefix: '/t',
    openapi,
    settings: { T_MAX: { type: 'integer', default: 3, description: 'the most' } },
    create: ({ settings }) => {
      const most: number = settings.T_MAX;
      return { routes, ready: () => assert.equal(most, 3) };
    },
  });
  assert.equal(isRestModule(module), true);
  assert.deepEqual(Object.keys(module.settings ?? {}), ['T_MAX']);
  assert.deepEqual(jsonResponse('One', { type: 'object' }), {
    description: 'One',
    content: { 'application/json': { schema: { type: 'object' } } },
  });
  assert.deepEqual(problemResponse('None'), {
    description: 'None',
    content: { 'application/problem+json': { schema: { $ref: PROBLEM_SCHEMA_REF } } },
  });
  assert.deepEqual(emptyResponse('Gone'), { description: 'Gone', type: 'null' });
});

test('isPrefix accepts /segment paths and refuses dot segments, empty segments and a trailing slash', () => {
  for (const prefix of ['/a', '/blueprint', '/v1/greet', '/a.b/~c_d-e']) assert.equal(isPrefix(prefix), true, prefix);
  for (const prefix of ['', '/', 'a', '/a/', '/a//b', '/.', '/a/..', '/.hidden', '/a b', '/ü']) {
    assert.equal(isPrefix(prefix), false, prefix);
  }
});
