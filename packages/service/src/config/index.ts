import { isPrefix, type Prefix } from '@simple-rest/module-contract';
// The function alone, not semver's index, which builds every one of them at start.
import validRange from 'semver/ranges/valid.js';
import type { DatabaseSettings } from '../platform/database/index.js';
import type { JobSettings } from '../platform/jobs/index.js';
import { environmentSchemaOf, invalidConfiguration, validateEnvironment } from './environment.js';
import { SERVICE_SETTINGS } from './service-settings.js';

export { ConfigError, invalidConfiguration } from './environment.js';
export { SERVICE_SETTINGS } from './service-settings.js';

const SERVICE_SCHEMA = environmentSchemaOf(SERVICE_SETTINGS);

type Properties = typeof SERVICE_SETTINGS;
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

/** Reads and validates every setting once; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Settings {
  const config = validateEnvironment<Config>(SERVICE_SCHEMA, env);
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
