// An OpenID provider reduced to what token verification reads: a discovery document and a key
// set, on loopback, whose keys a test can add to and whose answers it can turn off.
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

export const AUDIENCE = 'simple-rest';

interface Key {
  readonly kid: string;
  readonly privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  readonly jwk: JWK;
  published: boolean;
}

export interface TokenIssuer {
  readonly issuer: string;
  /** How often the key set was asked for. */
  readonly keyFetches: () => number;
  /**
   * A signed token: audience, issuer, subject `client-42` and a 5-minute life unless `claims` say
   * otherwise (`sub: undefined` leaves the subject out); `typ` goes in the header.
   */
  sign(claims?: JWTPayload, kid?: string, typ?: string): Promise<string>;
  /** A new key, published in the key set from now on, or kept back until publishKey. */
  addKey(kid: string, publish?: boolean): Promise<void>;
  publishKey(kid: string): void;
  /** While down, the provider answers every request with 503. */
  setDown(down: boolean): void;
  /**
   * How the key set is answered from now on: `keys`, or `500`, or `hang` (held without an answer
   * until the mode changes, then answered by the new mode).
   */
  setKeySetAnswer(mode: 'keys' | '500' | 'hang'): void;
  /** The published public key of `kid`, as a JWK. */
  publicJwk(kid?: string): JWK;
}

async function newKey(kid: string, published: boolean): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }, published };
}

export async function startTokenIssuer(t: Pick<TestContext, 'after'>): Promise<TokenIssuer> {
  const keys: Key[] = [await newKey('key-1', true)];
  let down = false;
  let fetches = 0;
  let keySetAnswer: 'keys' | '500' | 'hang' = 'keys';
  let held: (() => void)[] = [];
  const answerKeySet = (response: ServerResponse) => {
    if (keySetAnswer === 'hang') return held.push(() => answerKeySet(response));
    if (keySetAnswer === '500') return response.writeHead(500).end();
    const body = JSON.stringify({ keys: keys.filter(({ published }) => published).map(({ jwk }) => jwk) });
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  };
  const server = createServer((request, response) => {
    if (down) return response.writeHead(503).end();
    if (request.url === '/.well-known/openid-configuration') {
      const body = JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` });
      return response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }
    if (request.url === '/jwks') {
      fetches += 1;
      return answerKeySet(response);
    }
    response.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const keyOf = (kid: string) => {
    const key = keys.find((candidate) => candidate.kid === kid);
    if (!key) throw new Error(`no key ${kid}`);
    return key;
  };
  return {
    issuer,
    keyFetches: () => fetches,
    sign: (claims = {}, kid = 'key-1', typ = undefined) =>
      new SignJWT({
        iss: issuer,
        aud: AUDIENCE,
        sub: 'client-42',
        exp: Math.floor(Date.now() / 1000) + 300,
        scope: 'notes:read notes:write',
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid, ...(typ !== undefined && { typ }) })
        .setIssuedAt()
        .sign(keyOf(kid).privateKey),
    addKey: async (kid, publish = true) => {
      keys.push(await newKey(kid, publish));
    },
    publishKey: (kid) => {
      keyOf(kid).published = true;
    },
    setDown: (value) => {
      down = value;
    },
    setKeySetAnswer: (mode) => {
      keySetAnswer = mode;
      const waiting = held;
      held = [];
      for (const answer of waiting) answer();
    },
    publicJwk: (kid = 'key-1') => keyOf(kid).jwk,
  };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A token for every way one can be wrong, each otherwise valid and holding `claims` (the scopes a
 * route needs): each must get 401 invalid_token.
 */
export async function wrongTokens(issuer: TokenIssuer, claims: JWTPayload): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const [header = '', payload = '', signature = ''] = (await issuer.sign(claims)).split('.');
  // Algorithm confusion: HS256 with the provider's public key as the shared secret.
  const hmacHeader = base64url({ alg: 'HS256', kid: 'key-1' });
  const hmacBody = base64url({ ...claims, iss: issuer.issuer, aud: AUDIENCE, sub: 'x', exp: now + 300 });
  const hmac = createHmac('sha256', JSON.stringify(issuer.publicJwk()))
    .update(`${hmacHeader}.${hmacBody}`)
    .digest('base64url');
  await issuer.addKey('never-published', false);
  const tampered = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), scope: 'admin everything' };
  return {
    expired: await issuer.sign({ ...claims, exp: now - 120 }),
    'not yet valid': await issuer.sign({ ...claims, nbf: now + 120 }),
    'wrong audience': await issuer.sign({ ...claims, aud: 'another-api' }),
    'wrong issuer': await issuer.sign({ ...claims, iss: 'https://evil.example' }),
    'unknown key': await issuer.sign(claims, 'never-published'),
    'tampered payload': `${header}.${base64url(tampered)}.${signature}`,
    'alg none': `${base64url({ alg: 'none' })}.${payload}.`,
    'HS256 signed with the public key': `${hmacHeader}.${hmacBody}.${hmac}`,
    garbage: 'not-a-jwt',
    'no subject': await issuer.sign({ ...claims, sub: undefined } as unknown as JWTPayload),
    'subject not a string': await issuer.sign({ ...claims, sub: 42 } as unknown as JWTPayload),
    'subject an object': await issuer.sign({ ...claims, sub: { id: 'client-42' } } as unknown as JWTPayload),
  };
}
