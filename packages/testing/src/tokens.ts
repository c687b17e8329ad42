import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, type JWTVerifyGetKey, SignJWT } from 'jose';

/** An issuer of access tokens for tests: its own key, never fetched from anywhere. */
export interface TestIssuer {
  /** What mountModule and buildApp take as `auth`: the issuer, the audience, the keys. */
  readonly auth: { readonly issuer: string; readonly audience: string; readonly keys: JWTVerifyGetKey };
  /** A valid access token (ES256, 5 minutes) granting `scopes`, for `sub` "test-client" unless `claims` say otherwise. */
  token(scopes: readonly string[], claims?: JWTPayload): Promise<string>;
}

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'simple-rest-test';

/** Makes an issuer with a fresh ES256 key, for a module's tests of its protected routes. */
export async function testIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const keys = createLocalJWKSet({
    keys: [{ ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256', use: 'sig' }],
  });
  return {
    auth: { issuer: ISSUER, audience: AUDIENCE, keys },
    token: (scopes, claims = {}) =>
      new SignJWT({ scope: scopes.join(' '), ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'test', typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject('test-client')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey),
  };
}
