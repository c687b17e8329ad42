import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';
import type { ServerOption } from '../concern.js';
import { checkSchema } from './schema-check.js';

// One pool for every app in the process: an Ajv instance per set of options and shared schemas,
// not one per app or encapsulation context.
const buildValidatorFromPool = AjvCompiler();
const buildSerializerFromPool = SerializerSelector();

type Compiler<Route, Compiled> = (route: Route) => Compiled;

/**
 * Compiles each schema on the route's first request rather than at start: at start a schema
 * costs only its check against JSON Schema's meta-schema, which still refuses a module with an
 * invalid schema before it listens (docs/benchmarks.md: what 500 routes still cost, and what a
 * first request pays).
 */
function compiledOnFirstUse<Route extends { schema?: unknown }, Compiled extends (...args: never[]) => unknown>(
  factory: () => Compiler<Route, Compiled>,
): Compiler<Route, Compiled> {
  let compiler: Compiler<Route, Compiled> | undefined;
  const warmUp = () => {
    compiler ??= factory();
    compiler(WARM_UP_ROUTE as unknown as Route);
  };
  return (route) => {
    checkSchema(route.schema);
    if (compiler === undefined) unwarmed.add(warmUp);
    let compiled: Compiled | undefined;
    // Two arguments, not a rest parameter: this runs on every request, and a rest array would be
    // allocated each time. Validators take (data, context), serializers (payload).
    const onFirstUse = function (this: unknown, data: unknown, context?: unknown) {
      compiler ??= factory();
      compiled ??= compiler(route);
      const result = (compiled as unknown as (data: unknown, context?: unknown) => unknown).call(this, data, context);
      // Ajv leaves a failed validation's errors on the function, where Fastify reads them.
      onFirstUse.errors = (compiled as { errors?: unknown }).errors;
      return result;
    };
    // Fastify passes the parent object (so Ajv can coerce a root value) to functions that have
    // this: every validator made here is Ajv's.
    onFirstUse.schemaEnv = true;
    onFirstUse.errors = undefined as unknown;
    return onFirstUse as unknown as Compiled;
  };
}

/**
 * The compilers' first compile is their slowest (Ajv builds its instance, and V8 has yet to
 * optimize the code generators): warmUpCompilers pays it once, after the server listens, so that
 * a route's first request pays only for its own schemas.
 */
const unwarmed = new Set<() => void>();
const WARM_UP_ROUTE = {
  // The keywords routes use most, so that each one's code generator has run.
  schema: {
    type: 'object',
    properties: {
      id: { type: 'string', maxLength: 100 },
      limit: { type: 'integer', minimum: 1 },
      ratio: { type: 'number' },
      done: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
    },
    required: ['id'],
  },
  method: 'GET',
  url: '/',
  httpPart: 'querystring',
  httpStatus: '200',
} as const;

/** Compiles one small schema with each compiler that has not compiled yet. */
export function warmUpCompilers(): void {
  for (const warmUp of unwarmed) warmUp();
  unwarmed.clear();
}

/**
 * Validators and serializers for every route. Path parameters, query strings and headers arrive
 * as text, so they are coerced (`"3"` is a number where the schema says so), as Fastify does by
 * default; a body is JSON that says its own types, so it is checked as sent: `{"text": 5}` fails
 * a string field instead of being stored as `"5"`. In every part, a property the schema does not
 * allow (`additionalProperties: false`) is refused with 400 naming it, not dropped. Ajv does not check schemas itself (checkSchema has, at start), so its first compile
 * does not pay for compiling the meta-schema.
 */
export const schemaController: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: {
    buildValidator: (externalSchemas, options) => {
      for (const schema of Object.values(externalSchemas ?? {})) checkSchema(schema);
      const withOptions = (customOptions: object) =>
        buildValidatorFromPool(externalSchemas, {
          ...options,
          customOptions: { ...options?.customOptions, validateSchema: false, ...customOptions },
        } as typeof options);
      // Unknown properties are refused in every part, as the schema says, never dropped in silence.
      const coercing = compiledOnFirstUse(() => withOptions({ removeAdditional: false }));
      const exact = compiledOnFirstUse(() => withOptions({ coerceTypes: false, removeAdditional: false }));
      return (route) => (route.httpPart === 'body' ? exact(route) : coercing(route));
    },
    buildSerializer: (externalSchemas, options) =>
      compiledOnFirstUse(() => buildSerializerFromPool(externalSchemas, options)),
  },
};

interface ValidationFailure {
  readonly keyword: string;
  readonly instancePath?: string;
  readonly message?: string;
  readonly params: { readonly additionalProperty?: string };
}

/**
 * A 400's words, as Fastify's own formatter writes them (`body/text must be string`), except that
 * an unknown property is named: Ajv only says "must NOT have additional properties".
 */
export function describeValidationFailures(errors: readonly ValidationFailure[], part: string): Error {
  const described = errors.map(({ keyword, instancePath = '', message, params }) =>
    keyword === 'additionalProperties' && params.additionalProperty !== undefined
      ? `${part}${instancePath} has an unknown property "${params.additionalProperty}"`
      : `${part}${instancePath} ${message}`,
  );
  return new Error(described.join(', '));
}

/** The validators (schemaController), the words of their 400s, and the body limit they work within. */
const validation: ServerOption = ({ bodyLimitBytes }) => ({
  schemaController,
  schemaErrorFormatter: describeValidationFailures as unknown as NonNullable<
    FastifyServerOptions['schemaErrorFormatter']
  >,
  bodyLimit: bodyLimitBytes,
  // Long enough that over-long names reach validation and get 400, not a bare 404.
  routerOptions: { maxParamLength: 1000 },
});

export default validation;
