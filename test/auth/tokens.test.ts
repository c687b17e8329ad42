// Every way a token can be wrong, over HTTP against the real service with the notes mounted and
// AUTH_ISSUER pointing at a provider on loopback: what a client sees.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '@simple-rest/testing';
import { startService } from '../../packages/service/test/support/process.js';
import { AUDIENCE, startTokenIssuer, wrongTokens } from '../../packages/service/test/support/token-issuer.js';

test('over HTTP, with the notes mounted: no token 401, every wrong token 401 invalid_token, a missing scope 403, a good token 2xx', async (t) => {
  const issuer = await startTokenIssuer(t);
  const service = await startService({
    MODULES: '@simple-rest/blueprint=/blueprint,@simple-rest/notes',
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: AUDIENCE,
    // The embedded database blocks the event loop for seconds as it opens, which load shedding
    // would read as overload for a moment after; this test is about tokens.
    MAX_EVENT_LOOP_DELAY_MS: '0',
  });
  t.after(() => service.child.kill('SIGKILL'));
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).status === 200, { what: 'the service is ready' });
  const url = `${service.url}/notes/over-http/`;
  const put = (authorization?: string) =>
    fetch(url, {
      method: 'PUT',
      body: '{"text":"x"}',
      headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
    });

  for (const authorization of [undefined, 'Basic dXNlcjpwYXNz']) {
    const res = await put(authorization);
    assert.equal(res.status, 401, authorization);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="simple-rest", scope="notes:write"');
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  }
  for (const [why, token] of Object.entries(await wrongTokens(issuer, { scope: 'notes:read notes:write' }))) {
    const res = await put(`Bearer ${token}`);
    assert.equal(res.status, 401, why);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="simple-rest", error="invalid_token"', why);
  }
  const readOnly = await put(`Bearer ${await issuer.sign({ scope: 'notes:read' })}`);
  assert.equal(readOnly.status, 403);
  assert.equal(
    readOnly.headers.get('www-authenticate'),
    'Bearer realm="simple-rest", error="insufficient_scope", scope="notes:write"',
  );
  assert.equal((await put(`Bearer ${await issuer.sign()}`)).status, 201);
  const read = await fetch(url, { headers: { authorization: `Bearer ${await issuer.sign({ scope: 'notes:read' })}` } });
  assert.equal(read.status, 200);
  const preflight = await fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://app.example',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
  assert.equal(preflight.status, 204);
  assert.match(String(preflight.headers.get('access-control-allow-headers')), /Authorization/);
  assert.equal(service.child.exitCode, null, 'no token brought the process down');
});
