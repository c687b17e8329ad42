import type { SettingsSpec } from '@simple-rest/module-contract';

const HTTP_URL = '^https?://[^\\s/?#]+(/[^\\s?#]*)?$';

/**
 * Every setting the service reads, in the shape a module declares its own (the contract's
 * `Setting`): the one place its configuration is defined. `description` is what it means, the
 * row of the settings table (`npm run settings`, which the README's is checked against);
 * `allowed`, what a start-up error quotes as allowed where the type and bounds do not say it.
 */
export const SERVICE_SETTINGS = {
  HOST: {
    description: 'interface to listen on; the image sets `0.0.0.0`',
    type: 'string',
    minLength: 1,
    default: '127.0.0.1',
    allowed: 'an interface address or host name',
  },
  PORT: {
    description: 'an integer from 0 to 65535',
    type: 'integer',
    minimum: 0,
    maximum: 65535,
    default: 5000,
  },
  LOG_LEVEL: {
    description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
    type: 'string',
    enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
  },
  ACCESS_LOG: {
    description: '`on` or `off`: one log line per request',
    type: 'string',
    enum: ['on', 'off'],
    default: 'on',
    allowed: 'on or off',
  },
  CORS_ORIGINS: {
    description: '`*`, or comma-separated origins such as `https://a.example,http://b.example:8080`',
    type: 'string',
    pattern: '^(\\*|https?://[^,\\s/]+(,https?://[^,\\s/]+)*)$',
    default: '*',
    allowed: '* or a comma-separated list of origins such as https://a.example,http://b.example:8080',
  },
  MODULES: {
    description:
      'comma-separated `package[@range][=/prefix]`; empty mounts none (see [docs/modules.md](docs/modules.md))',
    type: 'string',
    pattern:
      // The prefix's own rules are isPrefix's (module-contract), checked when the list is parsed.
      '^((@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*(@[0-9A-Za-z.^~*<>=| -]+?)?(=/[^,]*)?(,|$))*$',
    default: '@simple-rest/blueprint=/blueprint',
    allowed: 'a comma-separated list of package[@version-range][=/prefix], or empty for none',
  },
  BODY_LIMIT_BYTES: {
    description:
      'bytes, from 1 to 1073741824: the largest request body a route takes (a route may set less); a larger one gets 413',
    type: 'integer',
    minimum: 1,
    maximum: 1073741824,
    default: 1048576,
    allowed: 'an integer of bytes from 1 to 1073741824',
  },
  SHUTDOWN_DELAY_MS: {
    description:
      'milliseconds, 0 or more: after SIGTERM, how long to keep serving with `/readyz` at 503 before closing',
    type: 'integer',
    minimum: 0,
    default: 0,
    allowed: 'an integer of milliseconds, 0 or more',
  },
  SHUTDOWN_TIMEOUT_MS: {
    description: 'milliseconds, 1 or more: after SIGTERM, how long shutdown may take before the process exits 1',
    type: 'integer',
    minimum: 1,
    default: 10000,
    allowed: 'an integer of milliseconds, 1 or more',
  },
  MAX_EVENT_LOOP_DELAY_MS: {
    description:
      'milliseconds, 0 or more: mean event-loop delay past which the API (greetings and module routes) answers 503; `0` turns load shedding off',
    type: 'integer',
    minimum: 0,
    default: 1000,
    allowed: 'an integer of milliseconds, 0 or more (0 turns load shedding off)',
  },
  WEB_CONCURRENCY: {
    description:
      'worker processes: a number from 1 to 999, or `auto` for the CPUs the container may use (its cgroup CPU quota)',
    type: 'string',
    pattern: '^(auto|[1-9][0-9]{0,2})$',
    default: '1',
    allowed: 'a number of worker processes from 1 to 999, or auto for the CPUs the container may use',
  },
  DATABASE_URL: {
    description:
      'a `postgres://` URL: the PostgreSQL that modules declaring a database keep their schemas in; unset, an embedded one (`DATABASE_DATA_DIR`)',
    type: 'string',
    pattern: '^postgres(ql)?://',
    secret: true,
    allowed: 'a postgres:// or postgresql:// URL',
  },
  DATABASE_DATA_DIR: {
    description:
      'without `DATABASE_URL`: the folder (made 0700; a looser one is refused) where the embedded PostgreSQL keeps its files, for one process; unset, in memory',
    type: 'string',
    minLength: 1,
    allowed: 'a folder path',
  },
  DATABASE_POOL_SIZE: {
    description: 'from 1 to 1000: connections to `DATABASE_URL`, at most, per process, shared by every module',
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 10,
  },
  DATABASE_MODULE_CONNECTIONS: {
    description:
      'from 1 to 1000, at most `DATABASE_POOL_SIZE`: the most connections one module holds at once, so that one cannot take them all',
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 5,
  },
  DATABASE_STATEMENT_TIMEOUT_MS: {
    description: 'milliseconds, from 100 to 600000: a statement running longer is cancelled and answered 503',
    type: 'integer',
    minimum: 100,
    maximum: 600000,
    default: 3000,
    allowed: 'an integer of milliseconds from 100 to 600000',
  },
  JOBS_LEASE_MS: {
    description:
      "milliseconds, from 1000 to 600000: a job run's lease, renewed every third of it; a run whose instance died is taken over once it lapses",
    type: 'integer',
    minimum: 1000,
    maximum: 600000,
    default: 5000,
    allowed: 'an integer of milliseconds from 1000 to 600000',
  },
  JOBS_CATCH_UP: {
    description:
      'from 0 to 100: of the fire times missed while no instance ran (more than 10 s late), how many run, the newest; `0` skips them',
    type: 'integer',
    minimum: 0,
    maximum: 100,
    default: 1,
  },
  AUTH_ISSUER: {
    description:
      'an http(s) URL: the OpenID provider whose tokens protected routes take (keys from its discovery document); required when a module declares scopes',
    type: 'string',
    pattern: HTTP_URL,
    allowed: 'an http(s) URL such as https://login.example.com/realms/simple-rest',
  },
  AUTH_AUDIENCE: {
    description: "the `aud` a token must name: this service's identifier at the provider; required with `AUTH_ISSUER`",
    type: 'string',
    minLength: 1,
    allowed: 'an audience such as simple-rest or api://simple-rest',
  },
  AUTH_TOKEN_TYPE: {
    description:
      'the `typ` header every token must carry, such as `at+jwt` (RFC 9068 access tokens), so ID tokens are refused where the provider marks access tokens; unset, any',
    type: 'string',
    pattern: '^[A-Za-z0-9!#$&^_.+-]{1,127}(/[A-Za-z0-9!#$&^_.+-]{1,127})?$',
    allowed: 'a media type such as at+jwt or application/at+jwt',
  },
  AUTH_DISABLED: {
    description:
      '`true` serves routes that need scopes without a token (local development only, warned at every start); `false` checks tokens',
    type: 'string',
    enum: ['true', 'false'],
    default: 'false',
    allowed: 'true or false',
  },
  // Tracing, by OpenTelemetry's own variables, read as its specification defines them
  // (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
  // Unset, no tracer is loaded: tracingSettings says when one is.
  OTEL_SDK_DISABLED: {
    description:
      '`true` turns tracing off whatever else is set; `false` leaves it to the variables below (see [docs/operations.md](docs/operations.md#tracing))',
    type: 'string',
    enum: ['true', 'false'],
    default: 'false',
    allowed: 'true or false',
  },
  OTEL_TRACES_EXPORTER: {
    description: '`otlp` turns tracing on (to `http://localhost:4318` unless an endpoint is set); `none` turns it off',
    type: 'string',
    enum: ['otlp', 'none'],
    allowed: 'otlp or none',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    description: 'an http(s) URL such as `http://collector:4318`: tracing on, spans POSTed to its `/v1/traces`',
    type: 'string',
    pattern: HTTP_URL,
    allowed: 'an http(s) URL such as http://collector:4318',
  },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
    description: 'an http(s) URL: tracing on, spans POSTed to exactly this URL',
    type: 'string',
    pattern: HTTP_URL,
    allowed: 'an http(s) URL such as http://collector:4318/v1/traces',
  },
  OTEL_EXPORTER_OTLP_PROTOCOL: {
    description: "`http/json`, the one protocol sent (a collector's OTLP/HTTP port takes it)",
    type: 'string',
    enum: ['http/json'],
    default: 'http/json',
    allowed: 'http/json (OTLP over HTTP with JSON bodies)',
  },
  OTEL_SERVICE_NAME: {
    description: "the traces' `service.name`; the package's name, `@simple-rest/service`, when unset",
    type: 'string',
    minLength: 1,
    allowed: 'a service name',
  },
  OTEL_RESOURCE_ATTRIBUTES: {
    description: "comma-separated `key=value` pairs, values percent-encoded, put on every span's resource",
    type: 'string',
    pattern: '^\\s*[^=,\\s]+\\s*=[^,]*(,\\s*[^=,\\s]+\\s*=[^,]*)*$',
    allowed: 'comma-separated key=value pairs, values percent-encoded',
  },
  OTEL_TRACES_SAMPLER: {
    description:
      '`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off` or `parentbased_traceidratio`',
    type: 'string',
    enum: [
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ],
    default: 'parentbased_always_on',
  },
  OTEL_TRACES_SAMPLER_ARG: {
    description: 'the ratio from 0 to 1 of the `traceidratio` samplers; 1 when unset',
    type: 'number',
    minimum: 0,
    maximum: 1,
    allowed: 'a sampling ratio from 0 to 1, for the traceidratio samplers',
  },
} as const satisfies SettingsSpec;
