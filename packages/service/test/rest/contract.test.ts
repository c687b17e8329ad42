import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../support/app.js';
import { CONTRACT } from '../support/contract.js';

for (const [url, body] of CONTRACT) {
  test(`GET ${url} answers "${body}" as plain text`, async (t) => {
    const app = await buildTestApp(t);
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers.vary, 'Accept');
    assert.equal(res.body, body);
  });

  test(`GET ${url} answers {"message": "${body}"} to a client that prefers JSON`, async (t) => {
    const app = await buildTestApp(t);
    const res = await app.inject({ url, headers: { accept: 'text/plain;q=0.5, application/json' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(res.json(), { message: body });
  });
}

test('a client accepting anything, or nothing we serve, gets plain text', async (t) => {
  const app = await buildTestApp(t);
  for (const accept of ['*/*', 'image/png', 'text/html,application/xhtml+xml,*/*;q=0.8', ';;;garbage']) {
    const res = await app.inject({ url: '/Kalimaha/', headers: { accept } });
    assert.equal(res.statusCode, 200, accept);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8', accept);
    assert.equal(res.body, 'Hallo Kalimaha from CORE!', accept);
  }
});

test('HEAD answers like GET without a body', async (t) => {
  const app = await buildTestApp(t);
  const res = await app.inject({ method: 'HEAD', url: '/blueprint/Kalimaha/' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(res.headers['content-length'], String('Hallo Kalimaha!'.length));
  assert.equal(res.body, '');
});

for (const [url, location] of [
  ['/Kalimaha', '/Kalimaha/'],
  ['/blueprint/Kalimaha', '/blueprint/Kalimaha/'],
  ['/blueprint', '/blueprint/'],
  ['/Kalimaha?lang=de&x=1', '/Kalimaha/?lang=de&x=1'],
  ['/blueprint?x=1', '/blueprint/?x=1'],
  ['/J%C3%BCrgen', '/J%C3%BCrgen/'],
] as const) {
  test(`GET ${url} redirects with 308 to ${location}`, async (t) => {
    const app = await buildTestApp(t);
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 308);
    assert.equal(res.headers.location, location);
    assert.equal(res.body, '');
  });
}

test('user input in the redirect target is re-encoded: no header injection', async (t) => {
  const app = await buildTestApp(t);
  const res = await app.inject({ url: '/a%0D%0ASet-Cookie:%20x=1?q=%0d%0a"<>' });
  assert.equal(res.statusCode, 308);
  assert.equal(res.headers.location, '/a%0D%0ASet-Cookie:%20x=1/?q=%0d%0a%22%3C%3E');
  assert.equal(res.headers['set-cookie'], undefined);
});

test('a redirect never points off-site', async (t) => {
  const app = await buildTestApp(t);
  const res = await app.inject({ url: '//evil.example' });
  assert.equal(res.statusCode, 404);
  assert.equal(res.headers.location, undefined);
});

test('names are percent-decoded', async (t) => {
  const app = await buildTestApp(t);
  assert.equal((await app.inject({ url: '/J%C3%BCrgen/' })).body, 'Hallo Jürgen from CORE!');
  assert.equal((await app.inject({ url: '/blueprint/J%C3%BCrgen/' })).body, 'Hallo Jürgen!');
  assert.equal((await app.inject({ url: '/a%2Fb/' })).body, 'Hallo a/b from CORE!');
  assert.equal((await app.inject({ url: '/%3Cscript%3E/' })).body, 'Hallo <script> from CORE!');
});

function assertProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number) {
  assert.equal(res.statusCode, status);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  const problem = res.json() as Record<string, unknown>;
  assert.equal(problem.type, 'about:blank');
  assert.equal(problem.status, status);
  assert.equal(typeof problem.title, 'string');
  return problem;
}

test('undecodable input gets a 400 problem, with the CORS headers so a browser can read it', async (t) => {
  const app = await buildTestApp(t);
  for (const url of ['/%FF/', '/blueprint/%E0%A4%A/', '/%FF']) {
    const res = await app.inject({ url, headers: { origin: 'https://a.example' } });
    const problem = assertProblem(res, 400);
    assert.equal(problem.title, 'Bad Request');
    assert.equal(res.headers['access-control-allow-origin'], '*', url);
    assert.equal(res.headers['access-control-expose-headers'], 'X-Request-Id', url);
  }
  const listed = await buildTestApp(t, { corsOrigins: ['https://a.example'] });
  const res = await listed.inject({ url: '/%FF/', headers: { origin: 'https://a.example' } });
  assert.equal(res.headers['access-control-allow-origin'], 'https://a.example');
  assert.equal(res.headers.vary, 'Origin');
});

test('a name of 100 characters is greeted; 101 gets a 400 problem', async (t) => {
  const app = await buildTestApp(t);
  const longest = 'ü'.repeat(100);
  assert.equal((await app.inject({ url: `/${encodeURIComponent(longest)}/` })).body, `Hallo ${longest} from CORE!`);
  for (const url of [`/${'a'.repeat(101)}/`, `/blueprint/${'a'.repeat(101)}/`]) {
    const problem = assertProblem(await app.inject({ url }), 400);
    assert.equal(problem.detail, 'params/name must NOT have more than 100 characters');
  }
});

test('unknown paths get a 404 problem', async (t) => {
  const app = await buildTestApp(t);
  for (const url of ['/a/b/c', '/blueprint/a/b/', '/nope/x']) {
    const problem = assertProblem(await app.inject({ url }), 404);
    assert.deepEqual(problem, {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No route matches this method and path',
    });
  }
});

test('methods the routes lack get 405 with Allow, as Flask answers, slashed or not, never a redirect', async (t) => {
  const app = await buildTestApp(t);
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
    for (const url of ['/Kalimaha/', '/Kalimaha', '/', '/blueprint/', '/blueprint', '/blueprint/Kalimaha/']) {
      const res = await app.inject({ method, url });
      assert.deepEqual(assertProblem(res, 405), {
        type: 'about:blank',
        title: 'Method Not Allowed',
        status: 405,
        detail: `${method} is not allowed here; allowed: GET, HEAD, OPTIONS`,
      });
      assert.equal(res.headers.allow, 'GET, HEAD, OPTIONS');
    }
  }
});

test('CORS preflight allows any origin, the Content-Type header and a bearer token', async (t) => {
  const app = await buildTestApp(t);
  const res = await app.inject({
    method: 'OPTIONS',
    url: '/blueprint/Kalimaha/',
    headers: {
      origin: 'https://anywhere.example',
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'content-type',
    },
  });
  assert.equal(res.statusCode, 204);
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers['access-control-allow-headers'], 'Content-Type, Authorization');
  assert.equal(res.headers['access-control-allow-methods'], 'GET, HEAD');
});

test('a bare OPTIONS, without preflight headers, gets the same 204 and no error', async (t) => {
  const app = await buildTestApp(t);
  const res = await app.inject({ method: 'OPTIONS', url: '/' });
  assert.equal(res.statusCode, 204);
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.body, '');
});

test('CORS_ORIGINS narrows CORS to the listed origins', async (t) => {
  const app = await buildTestApp(t, { corsOrigins: ['https://a.example', 'https://b.example'] });
  const allowed = await app.inject({ url: '/', headers: { origin: 'https://b.example' } });
  assert.equal(allowed.headers['access-control-allow-origin'], 'https://b.example');
  const other = await app.inject({ url: '/', headers: { origin: 'https://evil.example' } });
  assert.equal(other.headers['access-control-allow-origin'], undefined);
});

test('security headers suited to an API are on every answer, errors included', async (t) => {
  const app = await buildTestApp(t);
  for (const url of ['/', '/nope/x', '/Kalimaha', '/healthz', `/${'a'.repeat(101)}/`, '/%FF/']) {
    const res = await app.inject({ url });
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', url);
    assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, url);
  }
});
