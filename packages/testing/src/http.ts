import { request } from 'node:http';

export interface RawResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Header names and values as they came, in order. */
  readonly rawHeaders: readonly string[];
  readonly body: string;
}

/**
 * A request over a real socket of its own, closed after the answer, whose path is sent exactly as
 * given. Browsers, fetch, curl and inject() remove dot segments (`/x/../` becomes `/`) before
 * sending; Node's http.request does not. The one raw request of the tests, the bench and the
 * scripts.
 */
export function requestAsIs(
  origin: string,
  path: string,
  { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(new URL(origin), { method, path, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        outgoing.destroy();
        resolve({
          statusCode: response.statusCode ?? 0,
          headers: response.headers,
          rawHeaders: response.rawHeaders,
          body,
        });
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
