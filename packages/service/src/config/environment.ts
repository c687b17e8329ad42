// The environment engine: settings declared in the contract's `Setting` shape (the service's in
// service-settings.ts, each module's in its definition), read from environment variables and
// validated, every mistake in one line.
import type { Setting, SettingsSpec, SettingValue } from '@simple-rest/module-contract';

/** A setting that failed validation; its message is the one line an operator reads. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The error every configuration mistake, here or in MODULES, stops the start with. */
export function invalidConfiguration(detail: string): ConfigError {
  return new ConfigError(`Invalid configuration: ${detail}`);
}

/** What a setting allows, in the words a start-up error and the settings table use. */
export function allowedValues(setting: Setting): string {
  if (setting.allowed !== undefined) return setting.allowed;
  switch (setting.type) {
    case 'boolean':
      return 'true or false';
    case 'integer':
    case 'number': {
      const kind = setting.type === 'integer' ? 'an integer' : 'a number';
      const { minimum, maximum } = setting;
      if (minimum !== undefined && maximum !== undefined) return `${kind} from ${minimum} to ${maximum}`;
      if (minimum !== undefined) return `${kind} of ${minimum} or more`;
      if (maximum !== undefined) return `${kind} of ${maximum} or less`;
      return kind;
    }
    case 'string':
      if (setting.enum !== undefined) return `one of ${setting.enum.join(', ')}`;
      return 'a string';
  }
}

/** Settings (the service's, or a module's) as the JSON Schema the environment is validated with. */
export function environmentSchemaOf(spec: SettingsSpec): EnvironmentSchema {
  const settings = Object.entries(spec);
  return {
    type: 'object',
    properties: Object.fromEntries(settings.map(([name, setting]) => [name, propertyOf(setting)])),
    required: settings.filter(([, setting]) => setting.required === true).map(([name]) => name),
  };
}

/** A setting as a JSON Schema property; its description is what it allows, as errors quote it. */
function propertyOf(setting: Setting): EnvironmentProperty {
  const { description: _, required: __, allowed: ___, ...property } = setting;
  return { ...property, description: allowedValues(setting) };
}

/**
 * One environment variable as JSON Schema says it: the keywords a `Setting` uses, and, as its
 * description, what an error quotes as allowed.
 */
interface EnvironmentProperty {
  readonly type: 'string' | 'integer' | 'number' | 'boolean';
  /** What is allowed, as a start-up error says it. */
  readonly description: string;
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
interface EnvironmentSchema {
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
