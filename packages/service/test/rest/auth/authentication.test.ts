// Bearer tokens on routes that declare scopes, in the whole service, with keys fetched over
// HTTP from a provider on loopback: every way a token can be wrong, and what the host does.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RestModule } from '@simple-rest/module-contract';
import { waitFor } from '@simple-rest/testing';
import { buildApp } from '../../../src/rest/app.js';
import { TokenVerifier } from '../../../src/rest/auth/token-verifier.js';
import { capturingLogger, pollUntil } from '../../support/app.js';
import { AUDIENCE, startTokenIssuer, type TokenIssuer, wrongTokens } from '../../support/token-issuer.js';

/** A module with a public route, a route that needs items:read and one that needs items:write. */
const items: RestModule = {
  name: '@acme/items',
  version: '1.0.0',
  defaultPrefix: '/items',
  openapi: { tag: 'items', description: 'Items' },
  routes: async (app) => {
    app.get('/public/', async () => ({ open: true }));
    app.get('/', { config: { scopes: ['items:read'] } }, async (request) => {
      request.log.info('listing items');
      return { caller: request.auth?.subject, scopes: request.auth?.scopes };
    });
    app.put('/:id/', { config: { scopes: ['items:write'] } }, async (request) => ({
      written: (request.params as { id: string }).id,
    }));
  },
};

async function appWith(
  t: TestContext,
  issuer: TokenIssuer,
  refetchCooldownMs?: number,
  settings: { tokenType?: string } = {},
) {
  const { logger, lines } = capturingLogger();
  const app = await buildApp({
    modules: [{ module: items, prefix: '/items', settings: {} }],
    logger,
    auth: {
      issuer: issuer.issuer,
      audience: AUDIENCE,
      ...settings,
      ...(refetchCooldownMs !== undefined && { refetchCooldownMs }),
    },
  });
  t.after(() => app.close());
  await app.ready();
  await pollUntil(app, '/readyz', 200, 100);
  return { app, lines };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** A token for the items routes: both scopes unless `claims` say otherwise. */
const itemsToken = (issuer: TokenIssuer, claims: Record<string, unknown> = {}, kid?: string) =>
  issuer.sign({ scope: 'items:read items:write', ...claims }, kid);

test('a valid token with the scope: the route answers, sees the caller, and every log line names the subject', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app, lines } = await appWith(t, issuer);
  const token = await itemsToken(issuer, { scope: 'items:read other' });
  const res = await app.inject({ url: '/items/', headers: { ...bearer(token), 'x-request-id': 'ok-1' } });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { caller: 'client-42', scopes: ['items:read', 'other'] });
  const requestLines = lines.filter((line) => line.reqId === 'ok-1');
  assert.deepEqual(
    requestLines.map((line) => line.msg),
    ['listing items', 'request completed'],
  );
  for (const line of requestLines) assert.equal(line.subject, 'client-42');
  assert.equal(JSON.stringify(lines).includes(token.split('.')[2] ?? '?'), false, 'no part of the token is logged');
  const scp = await itemsToken(issuer, { scope: undefined, scp: ['items:read'] });
  assert.equal(
    (await app.inject({ url: '/items/', headers: bearer(scp) })).statusCode,
    200,
    'scp, as an array, counts too',
  );
  assert.equal((await app.inject({ url: '/items/public/' })).statusCode, 200, 'a route without scopes is public');
});

test('no token, or other credentials: 401 with a Bearer challenge and no error code', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app } = await appWith(t, issuer);
  for (const headers of [
    {},
    { authorization: 'Basic dXNlcjpwYXNz' },
    { authorization: 'Bearer' },
    { authorization: 'Bearer a b' },
  ]) {
    const res = await app.inject({ url: '/items/', headers });
    assert.equal(res.statusCode, 401, JSON.stringify(headers));
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="simple-rest", scope="items:read"');
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual(res.json(), {
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'This needs a bearer token with the scope items:read',
    });
  }
  const head = await app.inject({ method: 'HEAD', url: '/items/' });
  assert.equal(head.statusCode, 401, 'HEAD, answered by the protected GET route, is protected too');
  const root = await app.inject({ url: '/items' });
  assert.equal(root.statusCode, 308, 'the redirect of the slash-less root tells nothing, so it needs no token');
});

test('every way a token can be wrong gets 401 invalid_token, never a 5xx', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app, lines } = await appWith(t, issuer);
  const cases = await wrongTokens(issuer, { scope: 'items:read items:write' });
  for (const [why, token] of Object.entries(cases)) {
    const res = await app.inject({ url: '/items/', headers: bearer(token) });
    assert.equal(res.statusCode, 401, why);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="simple-rest", error="invalid_token"', why);
    assert.equal(res.json<{ detail: string }>().detail, 'The bearer token is not valid here', why);
  }
  const refused = lines.filter((line) => line.msg === 'token refused');
  assert.equal(refused.length, Object.keys(cases).length);
  for (const line of refused) assert.equal(typeof line.reason, 'string');
  const signatures = Object.values(cases)
    .map((token) => token.split('.')[2] ?? '')
    .filter((part) => part.length > 10);
  assert.ok(!signatures.some((signature) => JSON.stringify(lines).includes(signature)), 'no signature is logged');
});

test('a token a few seconds out on either side passes: the clock tolerance is 30 s', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app } = await appWith(t, issuer);
  const now = Math.floor(Date.now() / 1000);
  for (const claims of [{ exp: now - 20 }, { nbf: now + 20 }]) {
    assert.equal(
      (await app.inject({ url: '/items/', headers: bearer(await itemsToken(issuer, claims)) })).statusCode,
      200,
    );
  }
});

test('a token without the scope: 403 insufficient_scope, naming the scope needed', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app } = await appWith(t, issuer);
  const res = await app.inject({
    method: 'PUT',
    url: '/items/1/',
    headers: bearer(await issuer.sign({ scope: 'items:read' })),
  });
  assert.equal(res.statusCode, 403);
  assert.equal(
    res.headers['www-authenticate'],
    'Bearer realm="simple-rest", error="insufficient_scope", scope="items:write"',
  );
  assert.equal(res.json<{ detail: string }>().detail, 'The token lacks the scope items:write');
  const metrics = (await app.inject({ url: '/metrics' })).body;
  assert.match(
    metrics,
    /http_request_duration_seconds_count\{method="PUT",route="\/items\/:id\/",status_code="403",module="@acme\/items"\} 1/,
  );
});

test('a preflight allows Authorization and needs no token', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app } = await appWith(t, issuer);
  const res = await app.inject({
    method: 'OPTIONS',
    url: '/items/',
    headers: {
      origin: 'https://app.example',
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  });
  assert.equal(res.statusCode, 204);
  assert.equal(res.headers['access-control-allow-headers'], 'Content-Type, Authorization');
});

test('a key the provider adds is taken without a restart: an unknown kid fetches the keys again, at most once per cooldown', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app } = await appWith(t, issuer, 300);
  assert.equal(issuer.keyFetches(), 1);
  await issuer.addKey('key-2', false);
  await issuer.addKey('key-3', false);
  issuer.publishKey('key-2');
  await sleep(350);
  assert.equal(
    (await app.inject({ url: '/items/', headers: bearer(await itemsToken(issuer, {}, 'key-2')) })).statusCode,
    200,
  );
  assert.equal(issuer.keyFetches(), 2);
  // Within the cooldown after that fetch, a key published since is not fetched for: 401, no request.
  issuer.publishKey('key-3');
  const early = await itemsToken(issuer, {}, 'key-3');
  assert.equal((await app.inject({ url: '/items/', headers: bearer(early) })).statusCode, 401);
  assert.equal((await app.inject({ url: '/items/', headers: bearer(early) })).statusCode, 401);
  assert.equal(issuer.keyFetches(), 2);
  await sleep(350);
  assert.equal((await app.inject({ url: '/items/', headers: bearer(early) })).statusCode, 200);
  assert.equal(issuer.keyFetches(), 3);
});

test('provider down: tokens signed with a cached key keep passing; an unknown key gets 401, not a 5xx', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app } = await appWith(t, issuer, 0);
  issuer.setDown(true);
  assert.equal(
    (await app.inject({ url: '/items/', headers: bearer(await issuer.sign({ scope: 'items:read' })) })).statusCode,
    200,
  );
  await issuer.addKey('key-new');
  const unknown = await issuer.sign({ scope: 'items:read' }, 'key-new');
  assert.equal((await app.inject({ url: '/items/', headers: bearer(unknown) })).statusCode, 401);
});

test('a provider answering 500: unknown keys fetch the key set at most once per cooldown from the last attempt, backing off', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app } = await appWith(t, issuer, 300);
  await issuer.addKey('never-published', false);
  issuer.setKeySetAnswer('500');
  const fetchesBefore = issuer.keyFetches();
  const started = performance.now();
  let answered = 0;
  // 20 at a time for 1.5 s, each naming a key the provider does not publish.
  while (performance.now() - started < 1500) {
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) => itemsToken(issuer, { jti: `${i}` }, 'never-published')),
    );
    const statuses = await Promise.all(
      tokens.map(async (token) => (await app.inject({ url: '/items/', headers: bearer(token) })).statusCode),
    );
    assert.deepEqual(new Set(statuses), new Set([401]));
    answered += statuses.length;
  }
  const elapsed = performance.now() - started;
  const fetches = issuer.keyFetches() - fetchesBefore;
  // Without back-off, one fetch per cooldown would be the most; with it, fewer.
  assert.ok(
    fetches >= 1 && fetches <= 1 + elapsed / 300,
    `${fetches} fetches for ${answered} requests in ${elapsed.toFixed(0)} ms`,
  );
});

test('a hanging key set: one request waits for the fetch; the others with unknown keys get 401 at once', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app } = await appWith(t, issuer, 300);
  await issuer.addKey('key-2', false);
  await sleep(350);
  issuer.setKeySetAnswer('hang');
  const token = await itemsToken(issuer, {}, 'key-2');
  let firstSettled = false;
  const first = app.inject({ url: '/items/', headers: bearer(token) }).finally(() => {
    firstSettled = true;
  });
  await waitFor(() => issuer.keyFetches() === 2, { what: 'the fetch for the unknown key', intervalMs: 5 });
  const others = await Promise.all(
    Array.from({ length: 20 }, async () => (await app.inject({ url: '/items/', headers: bearer(token) })).statusCode),
  );
  assert.equal(firstSettled, false, 'the others were answered while the fetch still hung');
  assert.deepEqual(new Set(others), new Set([401]));
  assert.equal(issuer.keyFetches(), 2, 'one fetch at start, one for the unknown key');
  // The provider comes back with the key: the request that waited for it passes.
  issuer.publishKey('key-2');
  issuer.setKeySetAnswer('keys');
  assert.equal((await first).statusCode, 200);
});

test('AUTH_TOKEN_TYPE: only tokens whose typ header names it pass (at+jwt, with or without application/)', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app } = await appWith(t, issuer, undefined, { tokenType: 'at+jwt' });
  const status = async (typ?: string) =>
    (await app.inject({ url: '/items/', headers: bearer(await issuer.sign({ scope: 'items:read' }, 'key-1', typ)) }))
      .statusCode;
  assert.equal(await status('at+jwt'), 200);
  assert.equal(await status('application/at+jwt'), 200);
  assert.equal(await status('JWT'), 401, 'an ID token');
  assert.equal(await status(), 401, 'no typ');
  // Without the setting, any typ passes.
  const { app: open } = await appWith(t, issuer);
  const token = await issuer.sign({ scope: 'items:read' }, 'key-1', 'JWT');
  assert.equal((await open.inject({ url: '/items/', headers: bearer(token) })).statusCode, 200);
});

test('an https issuer whose discovery names a plain-http jwks_uri is refused: no keys, the log says why', async (t) => {
  const issuer = 'https://login.example';
  const { publicJwk } = await startTokenIssuer(t);
  const answers = (jwksUri: string) => (url: string | URL | Request) =>
    Promise.resolve(
      Response.json(
        String(url).endsWith('/openid-configuration') ? { issuer, jwks_uri: jwksUri } : { keys: [publicJwk()] },
      ),
    );
  const verifierFor = async (jwksUri: string) => {
    t.mock.method(globalThis, 'fetch', answers(jwksUri));
    const { logger, lines } = capturingLogger();
    const verifier = new TokenVerifier({ issuer, audience: AUDIENCE });
    verifier.start(logger);
    await waitFor(() => lines.length > 0, { what: 'the verifier logs its first attempt', intervalMs: 5 });
    verifier.stop();
    t.mock.restoreAll();
    return { verifier, lines };
  };
  const plain = await verifierFor('http://login.example/jwks');
  assert.equal(plain.verifier.ready, false);
  assert.equal(plain.lines[0]?.msg, 'token keys not fetched');
  assert.equal(
    plain.lines[0]?.reason,
    'https://login.example/.well-known/openid-configuration names a jwks_uri that is not https under an https issuer',
  );
  const secure = await verifierFor('https://login.example/jwks');
  assert.equal(secure.verifier.ready, true);
  assert.equal(secure.lines[0]?.msg, 'token keys fetched');
});

test('provider down at start: /readyz is 503 until its keys are fetched, then 200; protected routes refuse meanwhile', async (t) => {
  const issuer = await startTokenIssuer(t);
  issuer.setDown(true);
  const { logger } = capturingLogger();
  const app = await buildApp({
    modules: [{ module: items, prefix: '/items', settings: {} }],
    logger,
    auth: { issuer: issuer.issuer, audience: AUDIENCE },
  });
  t.after(() => app.close());
  await app.ready();
  const waiting = await app.inject({ url: '/readyz' });
  assert.equal(waiting.statusCode, 503);
  assert.deepEqual(waiting.json(), {
    status: 'not ready',
    authentication: "the token provider's keys are not fetched yet",
  });
  assert.equal((await app.inject({ url: '/items/', headers: bearer(await itemsToken(issuer)) })).statusCode, 401);
  assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
  issuer.setDown(false);
  assert.ok(await pollUntil(app, '/readyz', 200, 60), '/readyz turns 200 once the keys are fetched');
  assert.equal(
    (await app.inject({ url: '/items/', headers: bearer(await issuer.sign({ scope: 'items:read' })) })).statusCode,
    200,
  );
});

test('AUTH_DISABLED: protected routes are served without a token; with no verifier at all they refuse every request', async (t) => {
  const open = await buildApp({ modules: [{ module: items, prefix: '/items', settings: {} }], auth: 'disabled' });
  t.after(() => open.close());
  assert.equal((await open.inject({ url: '/items/' })).statusCode, 200);
  const closed = await buildApp({ modules: [{ module: items, prefix: '/items', settings: {} }] });
  t.after(() => closed.close());
  assert.equal((await closed.inject({ url: '/items/', headers: bearer('anything') })).statusCode, 401);
  assert.deepEqual(
    closed.protectedRoutes.map(({ method, url, scopes }) => [method, url, scopes]),
    [
      // HEAD is answered by the GET route (src/rest/head/), under its check.
      ['GET', '/items', ['items:read']],
      ['PUT', '/items/:id/', ['items:write']],
    ],
  );
  assert.equal((await closed.inject({ method: 'HEAD', url: '/items/', headers: bearer('anything') })).statusCode, 401);
});

test('the OpenAPI document: an openIdConnect scheme, the scopes of each protected operation, security [] on the rest', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app } = await appWith(t, issuer);
  const document = (await app.inject({ url: '/openapi.json' })).json();
  assert.deepEqual(document.components.securitySchemes.openIdConnect, {
    type: 'openIdConnect',
    openIdConnectUrl: `${issuer.issuer}/.well-known/openid-configuration`,
    description: 'Access tokens from the OpenID provider that AUTH_ISSUER names, with the scopes an operation lists',
  });
  assert.deepEqual(document.paths['/items/'].get.security, [{ openIdConnect: ['items:read'] }]);
  assert.deepEqual(document.paths['/items/{id}/'].put.security, [{ openIdConnect: ['items:write'] }]);
  assert.ok(document.paths['/items/{id}/'].put.responses['401'] && document.paths['/items/{id}/'].put.responses['403']);
  assert.deepEqual(document.paths['/items/public/'].get.security, []);
  assert.deepEqual(document.paths['/'].get.security, []);
  assert.deepEqual(document.paths['/healthz'].get.security, []);
});

test('no token or part of one reaches a log line, whatever form the Authorization header takes', async (t) => {
  const issuer = await startTokenIssuer(t);
  const { app, lines } = await appWith(t, issuer);
  const token = await itemsToken(issuer);
  const [header, payload, signature] = token.split('.') as [string, string, string];
  for (const authorization of [
    token,
    `Bearer\t${token}`,
    `Bearer:${token}`,
    `Bearer  ${token}`,
    `bearer,${token}`,
    `${token} Bearer`,
    `Token ${token}`,
    `Basic ${token}`,
  ]) {
    const res = await app.inject({ url: '/items/', headers: { authorization } });
    assert.ok([200, 401].includes(res.statusCode), authorization);
  }
  const logged = JSON.stringify(lines);
  for (const part of [header, payload, signature]) assert.equal(logged.includes(part), false, `logged: ${part}`);
  assert.ok(lines.some((line) => line.msg === 'no bearer token' && line.scheme === 'Basic'));
});
