import envSchema from 'env-schema';

/**
 * Every setting the service reads, with its default and what it allows. `description`
 * is what a start-up error quotes as allowed; the README's configuration table is
 * checked against this schema by a test.
 */
export const configSchema = {
  type: 'object',
  properties: {
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1', description: 'an interface address or host name' },
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 5000, description: 'an integer from 0 to 65535' },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
      description: 'one of fatal, error, warn, info, debug, trace, silent',
    },
    ACCESS_LOG: { type: 'string', enum: ['on', 'off'], default: 'on', description: 'on or off' },
    CORS_ORIGINS: {
      type: 'string',
      pattern: '^(\\*|https?://[^,\\s/]+(,https?://[^,\\s/]+)*)$',
      default: '*',
      description: '* or a comma-separated list of origins such as https://a.example,http://b.example:8080',
    },
    MODULES: {
      type: 'string',
      pattern:
        '^((@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*(@[0-9A-Za-z.^~*<>=| -]+?)?(=(/[A-Za-z0-9._~-]+)+)?(,|$))*$',
      default: '@simple-rest/blueprint=/blueprint',
      description: 'a comma-separated list of package[@version-range][=/prefix], or empty for none',
    },
    SHUTDOWN_DELAY_MS: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'an integer of milliseconds, 0 or more',
    },
    SHUTDOWN_TIMEOUT_MS: {
      type: 'integer',
      minimum: 1,
      default: 10000,
      description: 'an integer of milliseconds, 1 or more',
    },
    MAX_EVENT_LOOP_DELAY_MS: {
      type: 'integer',
      minimum: 0,
      default: 1000,
      description: 'an integer of milliseconds, 0 or more (0 turns load shedding off)',
    },
    WEB_CONCURRENCY: {
      type: 'string',
      pattern: '^(auto|[1-9][0-9]{0,2})$',
      default: '1',
      description: 'a number of worker processes from 1 to 999, or auto for the CPUs the container may use',
    },
  },
} as const;

type ConfigKey = keyof typeof configSchema.properties;

export interface Config {
  readonly HOST: string;
  readonly PORT: number;
  readonly LOG_LEVEL: (typeof configSchema.properties.LOG_LEVEL.enum)[number];
  readonly ACCESS_LOG: 'on' | 'off';
  readonly CORS_ORIGINS: string;
  readonly MODULES: string;
  readonly SHUTDOWN_DELAY_MS: number;
  readonly SHUTDOWN_TIMEOUT_MS: number;
  readonly MAX_EVENT_LOOP_DELAY_MS: number;
  readonly WEB_CONCURRENCY: string;
}

/** A setting that failed validation; its message is the one line an operator reads. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates every setting once; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const keys = Object.keys(configSchema.properties) as ConfigKey[];
  const data = Object.fromEntries(keys.filter((key) => env[key] !== undefined).map((key) => [key, env[key]]));
  try {
    return envSchema<Config>({ schema: configSchema, data, dotenv: false });
  } catch (error) {
    throw new ConfigError(describeInvalid(error, data));
  }
}

function describeInvalid(error: unknown, data: Record<string, unknown>): string {
  const failures = (error as { errors?: { instancePath: string }[] }).errors ?? [];
  const names = [...new Set(failures.map((failure) => failure.instancePath.slice(1) as ConfigKey))];
  const lines = names.map(
    (name) =>
      `${name}=${JSON.stringify(data[name])} is not allowed: expected ${configSchema.properties[name].description}`,
  );
  return `Invalid configuration: ${lines.join('; ')}`;
}
