import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifySchema, LightMyRequestResponse } from 'fastify';

/** A response as a route's schema documents it: by content type, or one schema for JSON. */
interface DocumentedResponse {
  readonly description?: string;
  readonly type?: unknown;
  readonly content?: Readonly<Record<string, { readonly schema?: object }>>;
}

const mediaTypeOf = (header: unknown) =>
  String(header ?? '')
    .split(';', 1)[0]
    ?.trim()
    .toLowerCase() ?? '';

/**
 * Checks answers against what their route documents (status, content type, body schema), with
 * the host's shared schemas (`Problem`) known. Lenient where the host is: Ajv's strict mode off,
 * since OpenAPI keywords (`example`) sit beside JSON Schema ones.
 */
export class ResponseChecker {
  readonly #ajv: Ajv;
  readonly #compiled = new WeakMap<object, ValidateFunction>();

  constructor(sharedSchemas: Readonly<Record<string, unknown>>) {
    this.#ajv = new Ajv({ strict: false, allErrors: true });
    for (const shared of Object.values(sharedSchemas)) this.#ajv.addSchema(shared as object);
  }

  /** Why the answer is not what the route documents, or undefined when it is. */
  problemWith(schema: FastifySchema, res: LightMyRequestResponse): string | undefined {
    const responses = (schema.response ?? {}) as Record<string, DocumentedResponse>;
    const status = String(res.statusCode);
    const documented = responses[status] ?? responses[`${status[0]}XX`] ?? responses.default;
    if (documented === undefined) {
      return `status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`;
    }
    const body = res.rawPayload.length === 0 ? undefined : res.body;
    if (documented.content === undefined) {
      if (documented.type === 'null') return body === undefined ? undefined : 'documented without a body, but has one';
      const { description: _, ...bodySchema } = documented;
      return this.#invalid(bodySchema, 'application/json', body);
    }
    const type = mediaTypeOf(res.headers['content-type']);
    const media = documented.content[type];
    if (media === undefined) {
      return `content type ${type || 'none'} is not documented for ${status} (documented: ${Object.keys(documented.content).join(', ')})`;
    }
    return media.schema === undefined ? undefined : this.#invalid(media.schema, type, body);
  }

  #invalid(schema: object, type: string, body: string | undefined): string | undefined {
    let value: unknown = body;
    if (type.endsWith('json')) {
      try {
        value = JSON.parse(body ?? '');
      } catch {
        return `the ${type} body is not JSON`;
      }
    }
    let validate = this.#compiled.get(schema);
    if (validate === undefined) {
      validate = this.#ajv.compile(schema);
      this.#compiled.set(schema, validate);
    }
    if (validate(value)) return undefined;
    return `the body does not match the documented schema: ${this.#ajv.errorsText(validate.errors)}`;
  }
}
