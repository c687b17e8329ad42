import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RestModule } from '@simple-rest/module-contract';
import { mountModule, testIssuer } from '../src/index.js';

const guarded: RestModule = {
  name: '@acme/guarded',
  version: '1.0.0',
  defaultPrefix: '/guarded',
  openapi: { tag: 'guarded', description: 'One protected route' },
  routes: async (app) => {
    app.get(
      '/',
      { config: { scopes: ['guarded:read'] }, schema: { summary: 'Inside', operationId: 'readInside' } },
      async () => 'inside',
    );
  },
};

test('a module with protected routes is refused without auth, as the service refuses to start', async () => {
  await assert.rejects(mountModule(guarded), {
    name: 'TypeError',
    message:
      '"@acme/guarded" has routes that need scopes (guarded:read): pass auth to mountModule (testIssuer().auth), or auth: \'disabled\' to call them without tokens',
  });
});

test("auth: 'disabled' serves it without a token; a test issuer's auth asks for one", async (t) => {
  const open = await mountModule(guarded, { auth: 'disabled' });
  t.after(() => open.close());
  assert.equal((await open.inject({ url: '/guarded/' })).body, 'inside');
  const issuer = await testIssuer();
  const checked = await mountModule(guarded, { auth: issuer.auth });
  t.after(() => checked.close());
  assert.equal((await checked.inject({ url: '/guarded/' })).statusCode, 401);
  const token = await issuer.token(['guarded:read']);
  const res = await checked.inject({ url: '/guarded/', headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, 'inside');
});

test("a route names its operation in the API document; the host puts the module's namespace before it", async (t) => {
  const app = await mountModule(guarded, { auth: 'disabled' });
  t.after(() => app.close());
  const document = (await app.inject({ url: '/openapi.json' })).json() as {
    paths: Record<string, { get?: { operationId?: string } }>;
  };
  assert.equal(document.paths['/guarded/']?.get?.operationId, 'guarded.readInside');
});

test('a module is mounted as the service mounts it: a setting the service reads too, or a bad value, stops it in one line', async () => {
  const portClaimer: RestModule = {
    ...guarded,
    name: '@acme/port-claimer',
    settings: { PORT: { type: 'integer', description: 'mine' } },
  };
  await assert.rejects(mountModule(portClaimer, { auth: 'disabled' }), {
    name: 'ConfigError',
    message: 'Invalid configuration: "@acme/port-claimer" declares the setting PORT, which the service reads too',
  });
  const counted: RestModule = {
    ...guarded,
    name: '@acme/counted',
    settings: { COUNTED_MAX: { type: 'integer', minimum: 1, default: 3, description: 'the most' } },
  };
  await assert.rejects(mountModule(counted, { auth: 'disabled', settings: { COUNTED_MAX: '0' } }), {
    name: 'ConfigError',
    message: 'Invalid configuration: COUNTED_MAX="0" is not allowed: expected an integer of 1 or more',
  });
});
