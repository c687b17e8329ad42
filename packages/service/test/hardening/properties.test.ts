// Property-based tests: whatever a client sends, the answer is a well-formed 2xx, 3xx or 4xx
// with the right content type, never a 5xx, and the service keeps answering.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sayHallo as blueprintHallo } from '@simple-rest/blueprint';
import { assertProperty, requestAsIs } from '@simple-rest/testing';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { parseModuleList } from '../../src/config/index.js';
import { sayHallo as coreHallo } from '../../src/core/hallo.js';
import { resolveModules } from '../../src/modules.js';
import { buildApp } from '../../src/rest/app.js';

let app: FastifyInstance;
before(async () => {
  // Shedding off: inject() runs each property's requests in microtasks, starving the event loop
  // for long enough that under-pressure may rightly read overload and answer 503, which failed a
  // property at random. The properties are about what the routes answer; shedding has its own tests.
  app = await buildApp({
    modules: await resolveModules(parseModuleList('@simple-rest/blueprint=/blueprint'), {}),
    maxEventLoopDelayMs: 0,
  });
  await app.ready();
});
after(() => app.close());

const RUNS = { numRuns: 300 };

test('sayHallo (both cores) wraps any string, unchanged', async (t) => {
  await assertProperty(
    t.name,
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (name) => {
      assert.equal(coreHallo(name), `Hallo ${name} from CORE!`);
      assert.equal(blueprintHallo(name), `Hallo ${name}!`);
    }),
    RUNS,
  );
});

/** What every answer must be, whatever was asked. */
function assertWellFormed(res: LightMyRequestResponse, method: string): void {
  assert.ok(res.statusCode >= 200 && res.statusCode < 500, `status ${res.statusCode}: ${res.body}`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.match(String(res.headers['x-request-id']), /^[A-Za-z0-9._:-]{1,128}$/);
  if (res.statusCode >= 400) {
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    if (method !== 'HEAD') assert.equal((JSON.parse(res.body) as { status: number }).status, res.statusCode);
  } else if (res.statusCode >= 300) {
    const location = String(res.headers.location);
    assert.match(location, /^\/[^/]/, 'a same-site path');
    assert.match(location, /^[\x21-\x7e]+$/, 'visible ASCII only: nothing to inject');
  } else if (res.statusCode === 200 && res.headers['content-type']?.toString().startsWith('text/')) {
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  }
}

// Path segments from every kind of input: any Unicode, percent-escapes valid or not, encoded
// slashes and dots, NUL and control characters, CR/LF, and lengths around the limit.
const segment = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 30 }).map((text) => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, ''))),
  fc.stringMatching(/^(%[0-9A-Fa-f]{0,2}|[a-z.]){1,12}$/),
  fc.constantFrom(
    '%2F',
    '%2f',
    '..',
    '.',
    '%2e%2e',
    '%00',
    '%0D%0A',
    '%0d%0aSet-Cookie:x=1',
    '%E0%A4%A',
    '%FF',
    '%C0%AF',
  ),
  fc.integer({ min: 95, max: 110 }).map((length) => 'n'.repeat(length)),
);
const path = fc
  .tuple(fc.constantFrom('', '/blueprint'), fc.array(segment, { maxLength: 3 }), fc.boolean(), fc.option(segment))
  .map(
    ([prefix, segments, slash, query]) =>
      `${prefix}/${segments.join('/')}${slash ? '/' : ''}${query ? `?q=${query}` : ''}`,
  );

test('any path, percent-encoded or not: a well-formed answer, never a 5xx', async (t) => {
  await assertProperty(
    t.name,
    fc.asyncProperty(path, async (url) => {
      assertWellFormed(await app.inject({ url }), 'GET');
    }),
    RUNS,
  );
});

test('any method: a well-formed answer, never a 5xx', async (t) => {
  const method = fc.constantFrom(
    'GET',
    'HEAD',
    'POST',
    'PUT',
    'DELETE',
    'PATCH',
    'OPTIONS',
    'TRACE',
    'SEARCH',
    'PROPFIND',
  );
  await assertProperty(
    t.name,
    fc.asyncProperty(method, path, async (verb, url) => {
      assertWellFormed(await app.inject({ method: verb as 'GET', url }), verb);
    }),
    RUNS,
  );
});

test('any Accept and X-Request-Id: a well-formed answer with a safe request id', async (t) => {
  const header = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.stringMatching(/^[A-Za-z0-9._:-]{1,140}$/),
    fc.constantFrom('application/json;q=abc', '*/*;q=2', 'text/plain;;;,,', 'application/*', '', ' '),
  );
  const visible = (text: string) => text.replace(/[^\x20-\x7e]/g, '');
  await assertProperty(
    t.name,
    fc.asyncProperty(header, header, fc.constantFrom('/', '/Kalimaha/', '/blueprint/Ann/'), async (accept, id, url) => {
      const res = await app.inject({ url, headers: { accept: visible(accept), 'x-request-id': visible(id) } });
      assertWellFormed(res, 'GET');
      assert.equal(res.statusCode, 200);
      if (/^[A-Za-z0-9._:-]{1,128}$/.test(visible(id))) assert.equal(res.headers['x-request-id'], visible(id));
    }),
    RUNS,
  );
});

// Names of every kind and length around the limit, dot segments included. They go over a real
// socket with the path as written: inject(), like browsers and curl, would turn `/blueprint/../`
// into `/` before sending (see the rules for names in docs/api.md).
const name = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 100 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'binary', minLength: 95, maxLength: 140 }),
  fc.constantFrom('.', '..', '...', '%2e', './', '#', '?', '\\', ' x '),
);
// At the root, a name that is another route's first segment reaches that route instead.
const ROOT_ROUTES = new Set(['blueprint', 'docs']);

test('a name of up to 100 characters is greeted exactly, over a real socket; a longer one gets 400', async (t) => {
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  await assertProperty(
    t.name,
    fc.asyncProperty(name, fc.boolean(), async (name, atRoot) => {
      fc.pre(!(atRoot && ROOT_ROUTES.has(name)));
      const res = await requestAsIs(origin, `${atRoot ? '' : '/blueprint'}/${encodeURIComponent(name)}/`);
      if ([...name].length <= 100) {
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.body, atRoot ? `Hallo ${name} from CORE!` : `Hallo ${name}!`);
      } else {
        assert.equal(res.statusCode, 400);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.equal(
          (JSON.parse(res.body) as { detail: string }).detail,
          'params/name must NOT have more than 100 characters',
        );
      }
    }),
    RUNS,
  );
});
