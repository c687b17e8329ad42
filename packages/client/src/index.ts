import createClient, { type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/**
 * A typed client of a simple-rest service serving this repository's modules at their default
 * prefixes. Paths, parameters, statuses and bodies are typed from the service's OpenAPI
 * document (`@simple-rest/client/openapi.json`). Greetings answer plain text: pass
 * `parseAs: 'text'`, or send `Accept: application/json` for `{ message }`.
 */
export function createSimpleRestClient(baseUrl: string, options: Omit<ClientOptions, 'baseUrl'> = {}) {
  return createClient<paths>({ ...options, baseUrl });
}
