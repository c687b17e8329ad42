// The meta-schema validator fast-json-stringify generates with Ajv's standalone mode, untyped there.
declare module 'fast-json-stringify/lib/schema-validator.js' {
  interface MetaSchemaError {
    readonly instancePath: string;
    readonly message?: string;
  }
  const validate: ((schema: unknown) => boolean) & { errors?: readonly MetaSchemaError[] | null };
  export default validate;
}
