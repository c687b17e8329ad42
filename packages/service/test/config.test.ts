import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigError, loadConfig, SERVICE_SETTINGS } from '../src/config/index.js';
import { settingsTable } from '../src/settings-table.js';

test('with nothing set, every setting takes its default', () => {
  assert.deepEqual(loadConfig({}), {
    host: '127.0.0.1',
    port: 5000,
    logLevel: 'info',
    accessLog: true,
    corsOrigins: '*',
    modules: [{ packageName: '@simple-rest/blueprint', prefix: '/blueprint' }],
    bodyLimitBytes: 1048576,
    shutdownDelayMs: 0,
    shutdownTimeoutMs: 10000,
    maxEventLoopDelayMs: 1000,
    webConcurrency: '1',
    database: { poolSize: 10, moduleConnections: 5, statementTimeoutMs: 3000 },
    jobs: { leaseMs: 5000, catchUp: 1 },
  });
});

test('a module share of connections larger than the pool is refused', () => {
  assert.throws(() => loadConfig({ DATABASE_POOL_SIZE: '4', DATABASE_MODULE_CONNECTIONS: '5' }), {
    name: 'ConfigError',
    message:
      "Invalid configuration: DATABASE_MODULE_CONNECTIONS=5 is more than DATABASE_POOL_SIZE=4: a module's share is part of the pool",
  });
});

test('DATABASE_URL is checked and never shown: a URL that is not PostgreSQL stops the start with one line', () => {
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/notes' }), {
    message:
      'Invalid configuration: DATABASE_URL=(secret, not shown) is not allowed: expected a postgres:// or postgresql:// URL',
  });
});

test('only the environment passed in is read, not process.env', (t) => {
  process.env.PORT = '1';
  t.after(() => {
    delete process.env.PORT;
  });
  assert.equal(loadConfig({}).port, 5000);
});

test('settings are read from the environment, typed, and parsed into the forms the code uses', () => {
  const settings = loadConfig({
    HOST: '0.0.0.0',
    PORT: '8080',
    LOG_LEVEL: 'warn',
    ACCESS_LOG: 'off',
    CORS_ORIGINS: 'https://a.example,http://b.example:8080',
    MODULES: '@simple-rest/blueprint,@simple-rest/dice=/games/dice',
    SHUTDOWN_DELAY_MS: '5000',
    SHUTDOWN_TIMEOUT_MS: '20000',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    UNRELATED: 'ignored',
  });
  assert.equal(settings.port, 8080);
  assert.equal(settings.accessLog, false);
  assert.deepEqual(settings.corsOrigins, ['https://a.example', 'http://b.example:8080']);
  assert.equal(settings.shutdownDelayMs, 5000);
  assert.equal(settings.maxEventLoopDelayMs, 0);
  assert.deepEqual(settings.modules, [
    { packageName: '@simple-rest/blueprint' },
    { packageName: '@simple-rest/dice', prefix: '/games/dice' },
  ]);
  assert.equal('UNRELATED' in settings, false);
});

const invalid = [
  ['PORT', '99999', 'PORT="99999" is not allowed: expected an integer from 0 to 65535'],
  ['PORT', 'http', 'PORT="http" is not allowed: expected an integer from 0 to 65535'],
  // An empty value is a value, checked like any other; the line says how to get the default.
  ['PORT', '', 'PORT="" is not allowed: expected an integer from 0 to 65535 (unset it for the default)'],
  [
    'LOG_LEVEL',
    'loud',
    'LOG_LEVEL="loud" is not allowed: expected one of fatal, error, warn, info, debug, trace, silent',
  ],
  ['ACCESS_LOG', 'yes', 'ACCESS_LOG="yes" is not allowed: expected on or off'],
  ['HOST', '', 'HOST="" is not allowed: expected an interface address or host name'],
  ['CORS_ORIGINS', 'a.example', 'CORS_ORIGINS="a.example" is not allowed: expected * or a comma-separated list'],
  [
    'MODULES',
    'Bad Name',
    'MODULES="Bad Name" is not allowed: expected a comma-separated list of package[@version-range][=/prefix]',
  ],
  ['MODULES', '@simple-rest/blueprint=blueprint', 'MODULES="@simple-rest/blueprint=blueprint" is not allowed'],
  ['SHUTDOWN_DELAY_MS', '-1', 'SHUTDOWN_DELAY_MS="-1" is not allowed: expected an integer of milliseconds, 0 or more'],
  [
    'SHUTDOWN_TIMEOUT_MS',
    '0',
    'SHUTDOWN_TIMEOUT_MS="0" is not allowed: expected an integer of milliseconds, 1 or more',
  ],
  ['MAX_EVENT_LOOP_DELAY_MS', '1.5', 'MAX_EVENT_LOOP_DELAY_MS="1.5" is not allowed'],
  ['WEB_CONCURRENCY', '0', 'WEB_CONCURRENCY="0" is not allowed: expected a number of worker processes from 1 to 999'],
  ['WEB_CONCURRENCY', 'all', 'WEB_CONCURRENCY="all" is not allowed'],
  ['OTEL_SDK_DISABLED', 'yes', 'OTEL_SDK_DISABLED="yes" is not allowed: expected true or false'],
  ['OTEL_TRACES_EXPORTER', 'zipkin', 'OTEL_TRACES_EXPORTER="zipkin" is not allowed: expected otlp or none'],
  ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318', 'OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318" is not allowed'],
  ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'ftp://x', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="ftp://x" is not allowed'],
  ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc', 'OTEL_EXPORTER_OTLP_PROTOCOL="grpc" is not allowed: expected http/json'],
  ['OTEL_SERVICE_NAME', '', 'OTEL_SERVICE_NAME="" is not allowed'],
  ['AUTH_ISSUER', 'login.example.com', 'AUTH_ISSUER="login.example.com" is not allowed: expected an http(s) URL'],
  ['AUTH_DISABLED', 'yes', 'AUTH_DISABLED="yes" is not allowed: expected true or false'],
  ['BODY_LIMIT_BYTES', '0', 'BODY_LIMIT_BYTES="0" is not allowed: expected an integer of bytes from 1 to 1073741824'],
  ['OTEL_RESOURCE_ATTRIBUTES', 'novalue', 'OTEL_RESOURCE_ATTRIBUTES="novalue" is not allowed'],
  ['OTEL_RESOURCE_ATTRIBUTES', 'a=%E0%A4%A', 'OTEL_RESOURCE_ATTRIBUTES has "a=%E0%A4%A"'],
  ['OTEL_TRACES_SAMPLER', 'sometimes', 'OTEL_TRACES_SAMPLER="sometimes" is not allowed: expected one of always_on'],
  [
    'OTEL_TRACES_SAMPLER_ARG',
    '1.5',
    'OTEL_TRACES_SAMPLER_ARG="1.5" is not allowed: expected a sampling ratio from 0 to 1',
  ],
] as const;

for (const [name, value, message] of invalid) {
  test(`${name}=${JSON.stringify(value)} is refused with one line naming it`, () => {
    assert.throws(
      () => loadConfig({ [name]: value }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.ok(error.message.startsWith(`Invalid configuration: ${message}`), error.message);
        assert.equal(error.message.includes('\n'), false);
        return true;
      },
    );
  });
}

test('tracing is off with no OTEL_* variable, and turned on by an endpoint or OTEL_TRACES_EXPORTER=otlp', () => {
  assert.equal(loadConfig({}).tracing, undefined);
  assert.equal(loadConfig({ OTEL_SERVICE_NAME: 'shop' }).tracing, undefined);
  assert.deepEqual(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing, {
    tracesUrl: 'http://collector:4318/v1/traces',
    resourceAttributes: {},
    sampler: 'parentbased_always_on',
    samplerRatio: 1,
  });
  assert.equal(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing?.tracesUrl, 'http://localhost:4318/v1/traces');
  assert.equal(
    loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/ingest',
    }).tracing?.tracesUrl,
    'https://traces.example/ingest',
  );
  for (const off of [{ OTEL_TRACES_EXPORTER: 'none' }, { OTEL_SDK_DISABLED: 'true' }] as const)
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', ...off }).tracing, undefined);
});

test('the service name, resource attributes and sampler are read as OpenTelemetry defines them', () => {
  const tracing = loadConfig({
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_SERVICE_NAME: 'shop',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod, team = a%2Cb ,url=x=y',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.25',
  }).tracing;
  assert.equal(tracing?.serviceName, 'shop');
  assert.deepEqual(tracing?.resourceAttributes, { 'deployment.environment.name': 'prod', team: 'a,b', url: 'x=y' });
  assert.equal(tracing?.sampler, 'parentbased_traceidratio');
  assert.equal(tracing?.samplerRatio, 0.25);
});

test('several bad settings are all named on the one line', () => {
  assert.throws(() => loadConfig({ PORT: 'x', ACCESS_LOG: 'maybe' }), {
    message:
      'Invalid configuration: PORT="x" is not allowed: expected an integer from 0 to 65535; ACCESS_LOG="maybe" is not allowed: expected on or off',
  });
});

test("the README's configuration table is the settings table the service prints (npm run settings)", () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const table = readme.split('<!-- config-table:start -->\n')[1]?.split('<!-- config-table:end -->')[0] ?? '';
  assert.equal(table, `${settingsTable([])}\n`);
});

test('the settings table names every setting with its default, and each bound and value it allows', () => {
  const rows = settingsTable([])
    .split('\n')
    .slice(2)
    .map((line) => line.split('|').map((cell) => cell.trim()));
  assert.deepEqual(
    rows.map(([, name, byDefault]) => [name, byDefault]),
    Object.entries(SERVICE_SETTINGS).map(([name, property]) => [
      `\`${name}\``,
      'default' in property ? `\`${property.default}\`` : '(unset)',
    ]),
  );
  for (const [, name = '', , allowed = ''] of rows) {
    const property: Readonly<Record<string, unknown>> =
      SERVICE_SETTINGS[name.replaceAll('`', '') as keyof typeof SERVICE_SETTINGS];
    for (const value of (property.enum as readonly string[] | undefined) ?? [])
      assert.ok(allowed.includes(`\`${value}\``), `${name} names ${value}`);
    for (const bound of [property.minimum, property.maximum]) {
      if (bound !== undefined) assert.match(allowed, new RegExp(`\\b${bound}\\b`), `${name} states ${bound}`);
    }
  }
});

test('authentication: an issuer with its audience, AUTH_DISABLED=true, or neither; an issuer alone, or an audience alone, is refused', () => {
  assert.deepEqual(
    loadConfig({ AUTH_ISSUER: 'https://login.example.com/realms/x/', AUTH_AUDIENCE: 'simple-rest' }).auth,
    {
      issuer: 'https://login.example.com/realms/x',
      audience: 'simple-rest',
    },
  );
  assert.equal(loadConfig({ AUTH_DISABLED: 'true', AUTH_ISSUER: 'https://login.example.com' }).auth, 'disabled');
  assert.equal(loadConfig({}).auth, undefined);
  assert.throws(() => loadConfig({ AUTH_ISSUER: 'https://login.example.com' }), {
    message:
      'Invalid configuration: AUTH_ISSUER is set without AUTH_AUDIENCE: expected the audience its tokens name for this service',
  });
  assert.throws(() => loadConfig({ AUTH_AUDIENCE: 'simple-rest' }), {
    message: 'Invalid configuration: AUTH_AUDIENCE is set without AUTH_ISSUER',
  });
  // AUTH_TOKEN_TYPE: a media type, and only with an issuer.
  assert.deepEqual(
    loadConfig({ AUTH_ISSUER: 'https://login.example.com', AUTH_AUDIENCE: 'api', AUTH_TOKEN_TYPE: 'at+jwt' }).auth,
    { issuer: 'https://login.example.com', audience: 'api', tokenType: 'at+jwt' },
  );
  assert.throws(() => loadConfig({ AUTH_TOKEN_TYPE: 'at+jwt' }), {
    message: 'Invalid configuration: AUTH_TOKEN_TYPE is set without AUTH_ISSUER',
  });
  assert.throws(
    () => loadConfig({ AUTH_ISSUER: 'https://login.example.com', AUTH_AUDIENCE: 'api', AUTH_TOKEN_TYPE: 'at jwt' }),
    { message: /^Invalid configuration: AUTH_TOKEN_TYPE="at jwt" is not allowed: expected a media type/ },
  );
});
