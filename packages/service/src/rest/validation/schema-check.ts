// JSON Schema draft-07's meta-schema compiled ahead of time (by Ajv, shipped in
// fast-json-stringify): checking a schema with it loads no Ajv and compiles nothing.
import isDraft07Schema from 'fast-json-stringify/lib/schema-validator.js';

// Schemas already found valid: the problem answers every route shares are checked once.
const valid = new WeakSet<object>();

/** Throws, as Ajv would when it compiles it, if `schema` is not a valid JSON Schema (draft-07). */
export function checkSchema(schema: unknown): void {
  const remembered = typeof schema === 'object' && schema !== null;
  if (remembered && valid.has(schema)) return;
  if (isDraft07Schema(schema)) {
    if (remembered) valid.add(schema);
    return;
  }
  const problems = (isDraft07Schema.errors ?? []).map(
    ({ instancePath, message }) => `schema${instancePath} ${message}`,
  );
  throw new Error(`schema is invalid: ${problems.join(', ')}`);
}
