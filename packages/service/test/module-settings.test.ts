import assert from 'node:assert/strict';
import { test } from 'node:test';
import blueprint from '@simple-rest/blueprint';
import type { RestModule, SettingsSpec } from '@simple-rest/module-contract';
import { allowedValues } from '../src/config/environment.js';
import { parseModuleList } from '../src/config/index.js';
import { checkSettingNames, readModuleSettings } from '../src/module-settings.js';
import { resolveModules } from '../src/modules.js';
import { settingsTable } from '../src/settings-table.js';

const withSettings = (name: string, settings: SettingsSpec): RestModule => ({ ...blueprint, name, settings });

const store = withSettings('@acme/store', {
  STORE_MAX_ITEMS: { type: 'integer', default: 1000, minimum: 1, maximum: 1_000_000, description: 'the most items' },
  STORE_MODE: { type: 'string', enum: ['fast', 'safe'], default: 'safe', description: 'how to store' },
  STORE_VERBOSE: { type: 'boolean', default: false, description: 'log every write' },
  STORE_URL: {
    type: 'string',
    pattern: '^postgres://',
    allowed: 'a postgres:// URL',
    secret: true,
    description: 'where items are kept',
  },
});

test("a module's settings are read from the environment passed in, typed, with their defaults", () => {
  assert.deepEqual(readModuleSettings(store, {}), { STORE_MAX_ITEMS: 1000, STORE_MODE: 'safe', STORE_VERBOSE: false });
  assert.deepEqual(
    readModuleSettings(store, {
      STORE_MAX_ITEMS: '7',
      STORE_MODE: 'fast',
      STORE_VERBOSE: 'true',
      STORE_URL: 'postgres://u:p@db/x',
      PORT: '1',
    }),
    { STORE_MAX_ITEMS: 7, STORE_MODE: 'fast', STORE_VERBOSE: true, STORE_URL: 'postgres://u:p@db/x' },
  );
});

test("a bad value gets the service's one line, naming the variable; a secret's value is never shown", () => {
  assert.throws(() => readModuleSettings(store, { STORE_MAX_ITEMS: 'zero' }), {
    name: 'ConfigError',
    message: 'Invalid configuration: STORE_MAX_ITEMS="zero" is not allowed: expected an integer from 1 to 1000000',
  });
  assert.throws(() => readModuleSettings(store, { STORE_MODE: 'slow', STORE_VERBOSE: 'yes' }), {
    message:
      'Invalid configuration: STORE_MODE="slow" is not allowed: expected one of fast, safe; STORE_VERBOSE="yes" is not allowed: expected true or false',
  });
  assert.throws(
    () => readModuleSettings(store, { STORE_URL: 'mysql://root:hunter2@db/x' }),
    (error: Error) => {
      assert.equal(
        error.message,
        'Invalid configuration: STORE_URL=(secret, not shown) is not allowed: expected a postgres:// URL',
      );
      return true;
    },
  );
});

test('a required setting that is unset is named', () => {
  const strict = withSettings('@acme/strict', { STRICT_KEY: { type: 'string', required: true, description: 'a key' } });
  assert.throws(() => readModuleSettings(strict, {}), {
    message: 'Invalid configuration: STRICT_KEY is required: expected a string',
  });
});

test('one variable declared by two modules, or by a module and the service, stops start-up; one module mounted twice does not', async () => {
  const other = withSettings('@acme/other', { STORE_MODE: { type: 'string', description: 'mine' } });
  assert.throws(() => checkSettingNames([store, other]), {
    message: 'Invalid configuration: "@acme/other" declares the setting STORE_MODE, which "@acme/store" reads too',
  });
  const greedy = withSettings('@acme/greedy', { PORT: { type: 'integer', description: 'mine' } });
  assert.throws(() => checkSettingNames([greedy]), {
    message: 'Invalid configuration: "@acme/greedy" declares the setting PORT, which the service reads too',
  });
  const mounted = await resolveModules(
    parseModuleList('@acme/store=/a,@acme/store=/b'),
    { STORE_MAX_ITEMS: '3' },
    {
      importer: async () => ({ default: store }),
      readManifest: () => ({}),
    },
  );
  assert.deepEqual(
    mounted.map(({ prefix, settings }) => [prefix, settings.STORE_MAX_ITEMS]),
    [
      ['/a', 3],
      ['/b', 3],
    ],
  );
});

test('what a setting allows, in words', () => {
  const describe = (setting: Parameters<typeof allowedValues>[0]) => allowedValues(setting);
  assert.equal(describe({ type: 'integer', minimum: 1, description: '' }), 'an integer of 1 or more');
  assert.equal(describe({ type: 'number', maximum: 1, description: '' }), 'a number of 1 or less');
  assert.equal(describe({ type: 'number', description: '' }), 'a number');
  assert.equal(describe({ type: 'string', description: '' }), 'a string');
});

test("the settings table lists each mounted module's settings after the service's, a secret marked", () => {
  const rows = settingsTable([store, store]).split('\n');
  const storeRows = rows.filter((row) => row.includes('`@acme/store`'));
  assert.equal(storeRows.length, 4);
  assert.match(
    storeRows[0] ?? '',
    /^\| `STORE_MAX_ITEMS` +\| `1000` +\| an integer from 1 to 1000000: the most items \(`@acme\/store`\) +\|$/,
  );
  assert.match(
    storeRows[3] ?? '',
    /\| `STORE_URL` +\| \(unset\) +\| a postgres:\/\/ URL: where items are kept \(`@acme\/store`, secret: never logged or shown\) +\|$/,
  );
  assert.equal(new Set(rows.map((row) => row.length)).size, 1, 'every row is padded to the same width');
});
