// A local OpenID provider for development and tests: oidc-provider (a certified OpenID provider),
// in memory, on loopback. Clients get access tokens by the client-credentials grant, as a service
// calling the API would from a real provider: RFC 9068 JWTs (`typ: at+jwt`) whose `aud` is the
// service's AUTH_AUDIENCE and whose `scope` holds the scopes asked for, signed with a key made at
// each start and published at the discovery document's jwks_uri.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

export interface LocalIssuerOptions {
  /** Every scope a token may grant. */
  readonly scopes: readonly string[];
  /** The service's AUTH_AUDIENCE, the tokens' `aud`. */
  readonly audience?: string;
  /** 0 for any free port. */
  readonly port?: number;
  readonly client?: { readonly id: string; readonly secret: string };
}

export interface LocalIssuer {
  /** The service's AUTH_ISSUER. */
  readonly issuer: string;
  readonly audience: string;
  /** The RFC 8707 resource indicator a token request names. */
  readonly resource: string;
  readonly client: { readonly id: string; readonly secret: string };
  /** An access token granting `scopes`, by the client-credentials grant over HTTP. */
  token(scopes: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

export const LOCAL_AUDIENCE = 'simple-rest';
const RESOURCE = 'urn:simple-rest';
const TOKEN_TTL_S = 3600;

export async function startLocalIssuer(options: LocalIssuerOptions): Promise<LocalIssuer> {
  const { scopes, audience = LOCAL_AUDIENCE, port = 0, client = { id: 'local', secret: 'local-secret' } } = options;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const server: Server = createServer();
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.id,
        client_secret: client.secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        // Its only key is ES256: the provider checks every algorithm a client could be sent.
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'local-issuer', alg: 'ES256', use: 'sig' }] },
    scopes: [...scopes],
    ttl: { ClientCredentials: TOKEN_TTL_S },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // RFC 8707: the token names the API it is for; a JWT whose aud is the service's.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: scopes.join(' '),
          audience,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    audience,
    resource: RESOURCE,
    client,
    async token(granted) {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: granted.join(' '),
          resource: RESOURCE,
          client_id: client.id,
          client_secret: client.secret,
        }),
      });
      const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
      if (body.access_token === undefined) throw new Error(`no token: ${body.error}: ${body.error_description}`);
      return body.access_token;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
