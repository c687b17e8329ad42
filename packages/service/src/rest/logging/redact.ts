/**
 * Query parameters whose values are credentials, in the names OAuth 2.0, OpenID Connect and
 * common APIs give them: a URL written to a log has their values replaced (docs/security.md).
 */
export const CREDENTIAL_PARAMETERS = [
  'access_token',
  'id_token',
  'refresh_token',
  'token',
  'code',
  'client_secret',
  'secret',
  'password',
  'key',
  'api_key',
  'apikey',
] as const;

const CREDENTIAL = new RegExp(`([?&](?:${CREDENTIAL_PARAMETERS.join('|')})=)[^&#]*`, 'gi');

/** The URL as a log may hold it: each credential parameter's value is `REDACTED`. */
export function redactedUrl(url: string): string {
  return url.includes('?') ? url.replace(CREDENTIAL, '$1REDACTED') : url;
}
