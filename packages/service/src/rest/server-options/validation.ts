import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';
import type { ServerOption } from './server-option.js';

// One pool for every app in the process: an Ajv instance per set of options and shared schemas,
// not one per app or encapsulation context.
const buildFromPool = AjvCompiler();

/**
 * Validators for every route: path parameters, query strings and headers arrive as text, so
 * they are coerced (`"3"` is a number where the schema says so), as Fastify does by default;
 * a body is JSON that says its own types, so it is checked as sent: `{"text": 5}` fails a string
 * field instead of being stored as `"5"`, and unknown properties are refused, not dropped.
 */
export const schemaController: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: {
    buildValidator: (externalSchemas, options) => {
      const coercing = buildFromPool(externalSchemas, options);
      const exact = buildFromPool(externalSchemas, {
        ...options,
        customOptions: { ...options?.customOptions, coerceTypes: false, removeAdditional: false },
      } as typeof options);
      return (route) => (route.httpPart === 'body' ? exact(route) : coercing(route));
    },
  },
};

/** The validators (schemaController), and the body limit they work within. */
const validation: ServerOption = ({ bodyLimitBytes }) => ({
  schemaController,
  bodyLimit: bodyLimitBytes,
  // Long enough that over-long names reach validation and get 400, not a bare 404.
  routerOptions: { maxParamLength: 1000 },
});

export default validation;
