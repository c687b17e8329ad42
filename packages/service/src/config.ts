import { isPrefix, type Prefix, type SettingValue } from '@simple-rest/module-contract';
// The function alone, not semver's index, which builds every one of them at start.
import validRange from 'semver/ranges/valid.js';
import type { DatabaseSettings } from './platform/database/index.js';
import type { JobSettings } from './platform/jobs/index.js';

const HTTP_URL = '^https?://[^\\s/?#]+(/[^\\s?#]*)?$';

/**
 * Every setting the service reads, with its default and what it allows: the one place
 * configuration is defined. `description` is what a start-up error quotes as allowed; `doc`
 * is the row of the settings table (`npm run settings`), which the README's is checked against.
 */
export const configSchema = {
  type: 'object',
  properties: {
    HOST: {
      doc: 'interface to listen on; the image sets `0.0.0.0`',
      type: 'string',
      minLength: 1,
      default: '127.0.0.1',
      description: 'an interface address or host name',
    },
    PORT: {
      doc: 'an integer from 0 to 65535',
      type: 'integer',
      minimum: 0,
      maximum: 65535,
      default: 5000,
      description: 'an integer from 0 to 65535',
    },
    LOG_LEVEL: {
      doc: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`',
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
      description: 'one of fatal, error, warn, info, debug, trace, silent',
    },
    ACCESS_LOG: {
      doc: '`on` or `off`: one log line per request',
      type: 'string',
      enum: ['on', 'off'],
      default: 'on',
      description: 'on or off',
    },
    CORS_ORIGINS: {
      doc: '`*`, or comma-separated origins such as `https://a.example,http://b.example:8080`',
      type: 'string',
      pattern: '^(\\*|https?://[^,\\s/]+(,https?://[^,\\s/]+)*)$',
      default: '*',
      description: '* or a comma-separated list of origins such as https://a.example,http://b.example:8080',
    },
    MODULES: {
      doc: 'comma-separated `package[@range][=/prefix]`; empty mounts none (see [docs/modules.md](docs/modules.md))',
      type: 'string',
      pattern:
        // The prefix's own rules are isPrefix's (module-contract), checked when the list is parsed.
        '^((@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*(@[0-9A-Za-z.^~*<>=| -]+?)?(=/[^,]*)?(,|$))*$',
      default: '@simple-rest/blueprint=/blueprint',
      description: 'a comma-separated list of package[@version-range][=/prefix], or empty for none',
    },
    BODY_LIMIT_BYTES: {
      doc: 'bytes, from 1 to 1073741824: the largest request body a route takes (a route may set less); a larger one gets 413',
      type: 'integer',
      minimum: 1,
      maximum: 1073741824,
      default: 1048576,
      description: 'an integer of bytes from 1 to 1073741824',
    },
    SHUTDOWN_DELAY_MS: {
      doc: 'milliseconds, 0 or more: after SIGTERM, how long to keep serving with `/readyz` at 503 before closing',
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'an integer of milliseconds, 0 or more',
    },
    SHUTDOWN_TIMEOUT_MS: {
      doc: 'milliseconds, 1 or more: after SIGTERM, how long shutdown may take before the process exits 1',
      type: 'integer',
      minimum: 1,
      default: 10000,
      description: 'an integer of milliseconds, 1 or more',
    },
    MAX_EVENT_LOOP_DELAY_MS: {
      doc: 'milliseconds, 0 or more: mean event-loop delay past which the API (greetings and module routes) answers 503; `0` turns load shedding off',
      type: 'integer',
      minimum: 0,
      default: 1000,
      description: 'an integer of milliseconds, 0 or more (0 turns load shedding off)',
    },
    WEB_CONCURRENCY: {
      doc: 'worker processes: a number from 1 to 999, or `auto` for the CPUs the container may use (its cgroup CPU quota)',
      type: 'string',
      pattern: '^(auto|[1-9][0-9]{0,2})$',
      default: '1',
      description: 'a number of worker processes from 1 to 999, or auto for the CPUs the container may use',
    },
    DATABASE_URL: {
      doc: 'a `postgres://` URL: the PostgreSQL that modules declaring a database keep their schemas in; unset, an embedded one (`DATABASE_DATA_DIR`)',
      type: 'string',
      pattern: '^postgres(ql)?://',
      secret: true,
      description: 'a postgres:// or postgresql:// URL',
    },
    DATABASE_DATA_DIR: {
      doc: 'without `DATABASE_URL`: the folder (made 0700; a looser one is refused) where the embedded PostgreSQL keeps its files, for one process; unset, in memory',
      type: 'string',
      minLength: 1,
      description: 'a folder path',
    },
    DATABASE_POOL_SIZE: {
      doc: 'from 1 to 1000: connections to `DATABASE_URL`, at most, per process, shared by every module',
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 10,
      description: 'an integer from 1 to 1000',
    },
    DATABASE_MODULE_CONNECTIONS: {
      doc: 'from 1 to 1000, at most `DATABASE_POOL_SIZE`: the most connections one module holds at once, so that one cannot take them all',
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 5,
      description: 'an integer from 1 to 1000',
    },
    DATABASE_STATEMENT_TIMEOUT_MS: {
      doc: 'milliseconds, from 100 to 600000: a statement running longer is cancelled and answered 503',
      type: 'integer',
      minimum: 100,
      maximum: 600000,
      default: 3000,
      description: 'an integer of milliseconds from 100 to 600000',
    },
    JOBS_LEASE_MS: {
      doc: "milliseconds, from 1000 to 600000: a job run's lease, renewed every third of it; a run whose instance died is taken over once it lapses",
      type: 'integer',
      minimum: 1000,
      maximum: 600000,
      default: 5000,
      description: 'an integer of milliseconds from 1000 to 600000',
    },
    JOBS_CATCH_UP: {
      doc: 'from 0 to 100: of the fire times missed while no instance ran (more than 10 s late), how many run, the newest; `0` skips them',
      type: 'integer',
      minimum: 0,
      maximum: 100,
      default: 1,
      description: 'an integer from 0 to 100',
    },
    AUTH_ISSUER: {
      doc: 'an http(s) URL: the OpenID provider whose tokens protected routes take (keys from its discovery document); required when a module declares scopes',
      type: 'string',
      pattern: HTTP_URL,
      description: 'an http(s) URL such as https://login.example.com/realms/simple-rest',
    },
    AUTH_AUDIENCE: {
      doc: "the `aud` a token must name: this service's identifier at the provider; required with `AUTH_ISSUER`",
      type: 'string',
      minLength: 1,
      description: 'an audience such as simple-rest or api://simple-rest',
    },
    AUTH_TOKEN_TYPE: {
      doc: 'the `typ` header every token must carry, such as `at+jwt` (RFC 9068 access tokens), so ID tokens are refused where the provider marks access tokens; unset, any',
      type: 'string',
      pattern: '^[A-Za-z0-9!#$&^_.+-]{1,127}(/[A-Za-z0-9!#$&^_.+-]{1,127})?$',
      description: 'a media type such as at+jwt or application/at+jwt',
    },
    AUTH_DISABLED: {
      doc: '`true` serves routes that need scopes without a token (local development only, warned at every start); `false` checks tokens',
      type: 'string',
      enum: ['true', 'false'],
      default: 'false',
      description: 'true or false',
    },
    // Tracing, by OpenTelemetry's own variables, read as its specification defines them
    // (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
    // Unset, no tracer is loaded: tracingSettings says when one is.
    OTEL_SDK_DISABLED: {
      doc: '`true` turns tracing off whatever else is set; `false` leaves it to the variables below (see [docs/operations.md](docs/operations.md#tracing))',
      type: 'string',
      enum: ['true', 'false'],
      default: 'false',
      description: 'true or false',
    },
    OTEL_TRACES_EXPORTER: {
      doc: '`otlp` turns tracing on (to `http://localhost:4318` unless an endpoint is set); `none` turns it off',
      type: 'string',
      enum: ['otlp', 'none'],
      description: 'otlp or none',
    },
    OTEL_EXPORTER_OTLP_ENDPOINT: {
      doc: 'an http(s) URL such as `http://collector:4318`: tracing on, spans POSTed to its `/v1/traces`',
      type: 'string',
      pattern: HTTP_URL,
      description: 'an http(s) URL such as http://collector:4318',
    },
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
      doc: 'an http(s) URL: tracing on, spans POSTed to exactly this URL',
      type: 'string',
      pattern: HTTP_URL,
      description: 'an http(s) URL such as http://collector:4318/v1/traces',
    },
    OTEL_EXPORTER_OTLP_PROTOCOL: {
      doc: "`http/json`, the one protocol sent (a collector's OTLP/HTTP port takes it)",
      type: 'string',
      enum: ['http/json'],
      default: 'http/json',
      description: 'http/json (OTLP over HTTP with JSON bodies)',
    },
    OTEL_SERVICE_NAME: {
      doc: "the traces' `service.name`; the package's name, `@simple-rest/service`, when unset",
      type: 'string',
      minLength: 1,
      description: 'a service name',
    },
    OTEL_RESOURCE_ATTRIBUTES: {
      doc: "comma-separated `key=value` pairs, values percent-encoded, put on every span's resource",
      type: 'string',
      pattern: '^\\s*[^=,\\s]+\\s*=[^,]*(,\\s*[^=,\\s]+\\s*=[^,]*)*$',
      description: 'comma-separated key=value pairs, values percent-encoded',
    },
    OTEL_TRACES_SAMPLER: {
      doc: '`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off` or `parentbased_traceidratio`',
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
      description:
        'one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio',
    },
    OTEL_TRACES_SAMPLER_ARG: {
      doc: 'the ratio from 0 to 1 of the `traceidratio` samplers; 1 when unset',
      type: 'number',
      minimum: 0,
      maximum: 1,
      description: 'a sampling ratio from 0 to 1, for the traceidratio samplers',
    },
  },
} as const;

type Properties = typeof configSchema.properties;
type ConfigKey = keyof Properties;
/** A setting's type, from its schema: its enum's values, a number for a number, else a string. */
type ValueOf<Property> = Property extends { readonly enum: readonly (infer Value)[] }
  ? Value
  : Property extends { readonly type: 'integer' | 'number' }
    ? number
    : string;
/** Every setting as validated, typed from the schema; one without a default may be unset. */
export type Config = {
  readonly [Key in ConfigKey]: Properties[Key] extends { readonly default: unknown }
    ? ValueOf<Properties[Key]>
    : ValueOf<Properties[Key]> | undefined;
};

/** What the tracer needs, when tracing is on. */
export interface TracingSettings {
  /** Where spans are POSTed, as OTLP/HTTP with JSON bodies. */
  readonly tracesUrl: string;
  /** OTEL_SERVICE_NAME; the service's package name when unset. */
  readonly serviceName?: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampler: Config['OTEL_TRACES_SAMPLER'];
  /** The ratio of the traceidratio samplers. */
  readonly samplerRatio: number;
}

/** One entry of MODULES: `package[@range][=/prefix]`. */
export interface ModuleSpec {
  readonly packageName: string;
  /** A semver range the installed version must satisfy. */
  readonly versionRange?: string;
  readonly prefix?: Prefix;
}

/** The settings in the forms the rest of the service uses. */
export interface Settings {
  readonly host: string;
  readonly port: number;
  readonly logLevel: Config['LOG_LEVEL'];
  readonly accessLog: boolean;
  /** `*`, or the origins that CORS allows. */
  readonly corsOrigins: '*' | readonly string[];
  readonly modules: readonly ModuleSpec[];
  /** The largest request body any route takes; a route may set a lower limit. */
  readonly bodyLimitBytes: number;
  readonly shutdownDelayMs: number;
  readonly shutdownTimeoutMs: number;
  readonly maxEventLoopDelayMs: number;
  /** A number of workers, or `auto`. */
  readonly webConcurrency: string;
  /** Present when tracing is on: no tracer is loaded otherwise. */
  readonly tracing?: TracingSettings;
  /** Who verifies tokens for routes that declare scopes: a provider, `disabled`, or undefined for neither. */
  readonly auth?: AuthSettings | 'disabled';
  /** The database modules that declare one keep their schemas in. */
  readonly database: DatabaseSettings;
  readonly jobs: JobSettings;
}

/** The OpenID provider whose access tokens protected routes take. */
export interface AuthSettings {
  readonly issuer: string;
  readonly audience: string;
  /** The `typ` header a token must carry (`at+jwt`); unset, any. */
  readonly tokenType?: string;
}

/** A setting that failed validation; its message is the one line an operator reads. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The error every configuration mistake, here or in MODULES, stops the start with. */
export function invalidConfiguration(detail: string): ConfigError {
  return new ConfigError(`Invalid configuration: ${detail}`);
}

/** Reads and validates every setting once; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Settings {
  const config = validateEnvironment<Config>(configSchema, env);
  return {
    host: config.HOST,
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    accessLog: config.ACCESS_LOG === 'on',
    corsOrigins: config.CORS_ORIGINS === '*' ? '*' : config.CORS_ORIGINS.split(','),
    modules: parseModuleList(config.MODULES),
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    shutdownDelayMs: config.SHUTDOWN_DELAY_MS,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
    webConcurrency: config.WEB_CONCURRENCY,
    ...tracingSettings(config),
    ...authSettings(config),
    database: databaseSettings(config),
    jobs: { leaseMs: config.JOBS_LEASE_MS, catchUp: config.JOBS_CATCH_UP },
  };
}

function databaseSettings(config: Config): DatabaseSettings {
  if (config.DATABASE_MODULE_CONNECTIONS > config.DATABASE_POOL_SIZE) {
    throw invalidConfiguration(
      `DATABASE_MODULE_CONNECTIONS=${config.DATABASE_MODULE_CONNECTIONS} is more than DATABASE_POOL_SIZE=${config.DATABASE_POOL_SIZE}: a module's share is part of the pool`,
    );
  }
  return {
    ...(config.DATABASE_URL !== undefined && { url: config.DATABASE_URL }),
    ...(config.DATABASE_DATA_DIR !== undefined && { dataDir: config.DATABASE_DATA_DIR }),
    poolSize: config.DATABASE_POOL_SIZE,
    moduleConnections: config.DATABASE_MODULE_CONNECTIONS,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  };
}

/** AUTH_DISABLED=true wins; an issuer needs an audience, since a token for another API must not pass. */
function authSettings(config: Config): { auth?: AuthSettings | 'disabled' } {
  if (config.AUTH_DISABLED === 'true') return { auth: 'disabled' };
  if (config.AUTH_ISSUER === undefined) {
    if (config.AUTH_AUDIENCE !== undefined) throw invalidConfiguration('AUTH_AUDIENCE is set without AUTH_ISSUER');
    if (config.AUTH_TOKEN_TYPE !== undefined) throw invalidConfiguration('AUTH_TOKEN_TYPE is set without AUTH_ISSUER');
    return {};
  }
  if (config.AUTH_AUDIENCE === undefined) {
    throw invalidConfiguration(
      'AUTH_ISSUER is set without AUTH_AUDIENCE: expected the audience its tokens name for this service',
    );
  }
  return {
    auth: {
      issuer: config.AUTH_ISSUER.replace(/\/$/, ''),
      audience: config.AUTH_AUDIENCE,
      ...(config.AUTH_TOKEN_TYPE !== undefined && { tokenType: config.AUTH_TOKEN_TYPE }),
    },
  };
}

/**
 * One environment variable as JSON Schema says it: the keywords settings use (a module's
 * `Setting`, the service's `configSchema`), and what an error quotes as allowed.
 */
export interface EnvironmentProperty {
  readonly type: 'string' | 'integer' | 'number' | 'boolean';
  /** What is allowed, as a start-up error says it. */
  readonly description: string;
  /** The settings table's row (`npm run settings`). */
  readonly doc?: string;
  /** Never shown in an error. */
  readonly secret?: boolean;
  readonly default?: string | number | boolean;
  readonly enum?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** Environment variables as a JSON Schema object of them. */
export interface EnvironmentSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, EnvironmentProperty>>;
  readonly required?: readonly string[];
}

/**
 * Validates the variables `schema` names, and only those, taken from `env` (not process.env),
 * with defaults applied and numbers and booleans parsed. The one way every setting, the
 * service's and the modules', is read, so all fail with the same line. Checked by this code,
 * not by a JSON Schema validator: settings use a handful of keywords, and building a validator
 * cost every start about 110 ms (docs/benchmarks.md).
 */
export function validateEnvironment<Values>(schema: EnvironmentSchema, env: NodeJS.ProcessEnv): Values {
  const values: Record<string, SettingValue> = {};
  const missing = (schema.required ?? []).filter((name) => env[name] === undefined);
  const invalid: string[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const text = env[name];
    if (text === undefined) {
      if (property.default !== undefined) values[name] = property.default;
      continue;
    }
    const value = parseSetting(text, property);
    if (value === undefined) invalid.push(name);
    else values[name] = value;
  }
  if (missing.length > 0 || invalid.length > 0) {
    const problems = [
      ...missing.map((name) => `${name} is required: ${allowedBy(schema, name)}`),
      ...invalid.map((name) => {
        const value = schema.properties[name]?.secret ? '(secret, not shown)' : JSON.stringify(env[name]);
        // An empty value is a value (MODULES= mounts none), checked like any other: only an unset
        // variable takes the default, which the line says when it has one.
        const unset =
          env[name] === '' && schema.properties[name]?.default !== undefined ? ' (unset it for the default)' : '';
        return `${name}=${value} is not allowed: ${allowedBy(schema, name)}${unset}`;
      }),
    ];
    throw invalidConfiguration(problems.join('; '));
  }
  return values as Values;
}

const allowedBy = (schema: EnvironmentSchema, name: string) =>
  `expected ${schema.properties[name]?.description ?? 'a valid value'}`;

/** A variable's value in its type, or undefined if its schema does not allow it. */
function parseSetting(text: string, property: EnvironmentProperty): SettingValue {
  switch (property.type) {
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'integer':
    case 'number': {
      // Any text JavaScript reads as a finite number, as JSON Schema validators coerce it ("1e3").
      const number = text.trim() === '' ? Number.NaN : Number(text);
      const { minimum = -Infinity, maximum = Infinity } = property;
      const allowed =
        Number.isFinite(number) &&
        (property.type === 'number' || Number.isInteger(number)) &&
        number >= minimum &&
        number <= maximum;
      return allowed ? number : undefined;
    }
    case 'string': {
      // Lengths in characters, not UTF-16 units, and patterns read as Unicode, as JSON Schema says.
      const length = [...text].length;
      const { minLength = 0, maxLength = Infinity, pattern } = property;
      const allowed =
        (property.enum === undefined || property.enum.includes(text)) &&
        length >= minLength &&
        length <= maxLength &&
        (pattern === undefined || new RegExp(pattern, 'u').test(text));
      return allowed ? text : undefined;
    }
  }
}

// The specification's default for OTLP/HTTP, when export is asked for with no endpoint.
const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

/**
 * Tracing is on when OTEL_TRACES_EXPORTER is otlp, or when it is unset and an OTLP endpoint is
 * given; OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turns it off whatever else is set.
 */
function tracingSettings(config: Config): { tracing?: TracingSettings } {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracesEndpoint = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const exporter = config.OTEL_TRACES_EXPORTER ?? ((endpoint ?? tracesEndpoint) ? 'otlp' : 'none');
  // Parsed even when tracing is off: a bad value is refused like any other setting's.
  const resourceAttributes = parseResourceAttributes(config.OTEL_RESOURCE_ATTRIBUTES ?? '');
  if (config.OTEL_SDK_DISABLED === 'true' || exporter === 'none') return {};
  return {
    tracing: {
      // The signal's own endpoint is used as given; the general one gets the signal's path.
      tracesUrl: tracesEndpoint ?? `${(endpoint ?? DEFAULT_OTLP_ENDPOINT).replace(/\/$/, '')}/v1/traces`,
      ...(config.OTEL_SERVICE_NAME !== undefined && { serviceName: config.OTEL_SERVICE_NAME }),
      resourceAttributes,
      sampler: config.OTEL_TRACES_SAMPLER,
      samplerRatio: config.OTEL_TRACES_SAMPLER_ARG ?? 1,
    },
  };
}

/** `key=value,key=value`, values percent-encoded (W3C Baggage's format, as the specification says). */
function parseResourceAttributes(list: string): Record<string, string> {
  const pairs = list === '' ? [] : list.split(',');
  return Object.fromEntries(
    pairs.map((pair) => {
      const [key = '', ...value] = pair.split('=');
      try {
        return [key.trim(), decodeURIComponent(value.join('=').trim())];
      } catch {
        throw invalidConfiguration(`OTEL_RESOURCE_ATTRIBUTES has "${pair}", whose value is not valid percent-encoding`);
      }
    }),
  );
}

/** Socket timeouts, in milliseconds; the defaults are SOCKET_TIMEOUTS. */
export interface SocketTimeouts {
  /** A client must send its whole request head within this (slowloris). */
  readonly headersMs: number;
  /** A client must send its whole request within this. */
  readonly requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveMs: number;
  /** How often Node checks the first two. */
  readonly checkIntervalMs: number;
}

// Fixed, not read from the environment. keepAliveMs is Fastify's default, longer than the 60 s idle timeout of common load
// balancers, so the balancer closes first and never sends on a connection being closed.
export const SOCKET_TIMEOUTS: SocketTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 72_000,
  checkIntervalMs: 1_000,
};

/** Every setting at its default: buildApp's defaults for what its caller does not pass (tests, the build). */
export const DEFAULT_SETTINGS: Settings = loadConfig({});

/** Reads MODULES (`package[@range][=/prefix]`, comma-separated; empty for none), already checked by the schema. */
export function parseModuleList(list: string): ModuleSpec[] {
  return list
    .split(',')
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [, packageName = '', versionRange, prefix] =
        /^((?:@[^/@]+\/)?[^@=]+)(?:@(.+?))?(?:=(\/.*))?$/.exec(entry) ?? [];
      if (versionRange !== undefined && validRange(versionRange) === null) {
        throw invalidConfiguration(
          `MODULES names "${packageName}@${versionRange}", which is not a valid version range`,
        );
      }
      if (prefix !== undefined && !isPrefix(prefix)) {
        throw invalidConfiguration(
          `MODULES mounts "${packageName}" at "${prefix}", which is not a valid prefix (expected /segment[/segment…], no "." or ".." segments, no trailing slash)`,
        );
      }
      return {
        packageName,
        ...(versionRange !== undefined && { versionRange }),
        ...(prefix !== undefined && { prefix }),
      };
    });
}
