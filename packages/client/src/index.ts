import createClient, { type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

export interface SimpleRestClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /**
   * An access token from the service's OpenID provider, sent as `Authorization: Bearer …` on
   * every request; a function is asked before each request, so it may return a renewed one.
   */
  readonly token?: string | (() => string | Promise<string>);
}

/**
 * A typed client of a simple-rest service serving this repository's modules at their default
 * prefixes. Paths, parameters, statuses and bodies are typed from the service's OpenAPI
 * document (`@simple-rest/client/openapi.json`). Greetings answer plain text: pass
 * `parseAs: 'text'`, or send `Accept: application/json` for `{ message }`. Routes that need
 * scopes (the notes) take the `token`.
 */
export function createSimpleRestClient(baseUrl: string, options: SimpleRestClientOptions = {}) {
  const { token, ...clientOptions } = options;
  const client = createClient<paths>({ ...clientOptions, baseUrl });
  if (token !== undefined) {
    client.use({
      async onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${typeof token === 'function' ? await token() : token}`);
        return request;
      },
    });
  }
  return client;
}
