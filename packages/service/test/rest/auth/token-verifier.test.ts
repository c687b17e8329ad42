// The verifier keeps the tokens that passed: a client's next requests skip the signature check,
// until the token's exp or a minute, whichever comes first; a token that failed is checked again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey, SignJWT } from 'jose';
import { TokenVerifier } from '../../../src/rest/auth/token-verifier.js';

const ISSUER = 'https://login.example';
const AUDIENCE = 'simple-rest';

async function signingKeys() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const keySet = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256' }] });
  let lookups = 0;
  const keys: JWTVerifyGetKey = (header, token) => {
    lookups++;
    return keySet(header, token);
  };
  const sign = (expiresInS: number, audience = AUDIENCE) =>
    new SignJWT({ scope: 'notes:read' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k' })
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setSubject('alice')
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInS)
      .sign(privateKey);
  return { keys, sign, lookups: () => lookups };
}

test('a token that passed is not checked again; one that failed is', async () => {
  const { keys, sign, lookups } = await signingKeys();
  const verifier = new TokenVerifier({ issuer: ISSUER, audience: AUDIENCE }, { keys });
  const token = await sign(3600);
  const first = await verifier.verify(token);
  assert.deepEqual(await verifier.verify(token), first);
  assert.equal(first.subject, 'alice');
  assert.deepEqual(first.scopes, ['notes:read']);
  assert.equal(lookups(), 1, 'the second request took the verified token from the cache');

  const wrongAudience = await sign(3600, 'another-api');
  for (let attempt = 0; attempt < 2; attempt++)
    await assert.rejects(verifier.verify(wrongAudience), /CLAIM_VALIDATION_FAILED/);
  assert.equal(lookups(), 3, 'a refused token is checked each time');
});

test('a verified token is kept no longer than its exp', async () => {
  const { keys, sign, lookups } = await signingKeys();
  const verifier = new TokenVerifier({ issuer: ISSUER, audience: AUDIENCE }, { keys });
  const token = await sign(1);
  await verifier.verify(token);
  await sleep(1100);
  // Past exp, it is checked again (and still passes within the clock tolerance).
  await verifier.verify(token);
  assert.equal(lookups(), 2);
});
