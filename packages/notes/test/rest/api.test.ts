// The notes API as a client sees it, against a real PostgreSQL and against the embedded one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mountModule, type PostgresServer, testIssuer } from '@simple-rest/testing';
import type { FastifyInstance } from 'fastify';
import notes from '../../src/index.js';
import { NO_POSTGRES, postgresIfInstalled } from '../support.js';

const json = { 'content-type': 'application/json' };
const UUID_TAG = /^"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"$/;

for (const backend of ['postgres', 'embedded'] as const) {
  describe(`notes on ${backend === 'postgres' ? 'a real PostgreSQL' : 'the embedded PostgreSQL (PGlite)'}`, () => {
    let app: FastifyInstance | undefined;
    let server: PostgresServer | undefined;
    let authorization = '';
    before(async () => {
      const issuer = await testIssuer();
      authorization = `Bearer ${await issuer.token(['notes:read', 'notes:write'])}`;
      const database: { url?: string } = {};
      if (backend === 'postgres') {
        server = await postgresIfInstalled();
        if (server === undefined) return;
        database.url = server.url;
      }
      app = await mountModule(notes, { database, auth: issuer.auth });
    });
    after(async () => {
      await app?.close();
      server?.remove();
    });

    const put = (id: string, text: unknown, headers: Record<string, string> = {}) =>
      (app as FastifyInstance).inject({
        method: 'PUT',
        url: `/notes/${id}/`,
        payload: JSON.stringify({ text }),
        headers: { ...json, authorization, ...headers },
      });
    const get = (url: string) => (app as FastifyInstance).inject({ url, headers: { authorization } });
    const remove = (id: string, headers: Record<string, string> = {}) =>
      (app as FastifyInstance).inject({
        method: 'DELETE',
        url: `/notes/${id}/`,
        headers: { authorization, ...headers },
      });

    test('PUT creates (201) then replaces (200), each time with a new ETag; GET answers the note and its ETag', async (t) => {
      if (!app) return t.skip(NO_POSTGRES);
      const created = await put('milk', 'Buy milk');
      assert.equal(created.statusCode, 201);
      assert.equal(created.headers['content-type'], 'application/json; charset=utf-8');
      assert.match(String(created.headers.etag), UUID_TAG);
      const body = created.json<{ id: string; text: string; updatedAt: string }>();
      assert.deepEqual(Object.keys(body), ['id', 'text', 'updatedAt']);
      assert.equal(body.text, 'Buy milk');
      assert.ok(Math.abs(Date.parse(body.updatedAt) - Date.now()) < 60_000);
      const replaced = await put('milk', 'Buy oat milk');
      assert.equal(replaced.statusCode, 200);
      assert.notEqual(replaced.headers.etag, created.headers.etag);
      const read = await get('/notes/milk/');
      assert.equal(read.statusCode, 200);
      assert.equal(read.headers.etag, replaced.headers.etag);
      // The ETag is documented on these answers, so a browser page may read it.
      for (const answer of [created, replaced, read]) {
        assert.equal(answer.headers['access-control-expose-headers'], 'X-Request-Id, ETag');
      }
      assert.equal(read.json<{ text: string }>().text, 'Buy oat milk');
    });

    test('If-Match that is not the current ETag: 412, nothing changed; the current one, or *, goes through', async (t) => {
      if (!app) return t.skip(NO_POSTGRES);
      const first = await put('eggs', 'Six');
      const stale = String(first.headers.etag);
      const second = await put('eggs', 'Twelve', { 'if-match': stale });
      assert.equal(second.statusCode, 200);
      for (const ifMatch of [stale, `W/${String(second.headers.etag)}`, '"not-a-revision"']) {
        const refused = await put('eggs', 'None', { 'if-match': ifMatch });
        assert.equal(refused.statusCode, 412, ifMatch);
        assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
        const deleteRefused = await remove('eggs', { 'if-match': ifMatch });
        assert.equal(deleteRefused.statusCode, 412, ifMatch);
      }
      assert.equal((await get('/notes/eggs/')).json<{ text: string }>().text, 'Twelve');
      assert.equal((await put('eggs', 'Any', { 'if-match': '*' })).statusCode, 200);
      assert.equal((await put('nothing-here', 'x', { 'if-match': '*' })).statusCode, 412, 'If-Match on no note fails');
      assert.equal((await get('/notes/nothing-here/')).statusCode, 404);
      const current = String((await get('/notes/eggs/')).headers.etag);
      assert.equal((await remove('eggs', { 'if-match': current })).statusCode, 204);
    });

    test('DELETE answers 204, then 404; a deleted and re-created note never gets an old ETag back', async (t) => {
      if (!app) return t.skip(NO_POSTGRES);
      const before = String((await put('bread', 'Bake')).headers.etag);
      assert.equal((await remove('bread')).statusCode, 204);
      const missing = await remove('bread');
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(missing.json(), {
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'No note has the id bread',
      });
      assert.notEqual((await put('bread', 'Bake')).headers.etag, before);
      assert.equal((await put('bread', 'x', { 'if-match': before })).statusCode, 412);
    });

    test('GET /notes/ lists notes by id, a page of limit at a time after the id given, with a Link to the next', async (t) => {
      if (!app) return t.skip(NO_POSTGRES);
      for (const id of ['p-c', 'p-a', 'p-e', 'p-b', 'p-d']) await put(id, id.toUpperCase());
      const ids = (url: string) =>
        get(url).then((res) =>
          res
            .json<{ id: string }[]>()
            .map(({ id }) => id)
            .filter((id) => id.startsWith('p-')),
        );
      assert.deepEqual(await ids('/notes/?after=p'), ['p-a', 'p-b', 'p-c', 'p-d', 'p-e']);
      const page = await get('/notes/?limit=2&after=p-a');
      assert.deepEqual(
        page.json<{ id: string }[]>().map(({ id }) => id),
        ['p-b', 'p-c'],
      );
      assert.equal(page.headers.link, '</notes/?limit=2&after=p-c>; rel="next"');
      assert.deepEqual(await ids('/notes/?limit=2&after=p-c'), ['p-d', 'p-e']);
      for (const query of ['limit=0', 'limit=1001', 'limit=x', `after=${'x'.repeat(101)}`]) {
        assert.equal((await get(`/notes/?${query}`)).statusCode, 400, query);
      }
    });

    test('an id of other characters or over 100, a text over 10,000 characters, or the wrong type: 400', async (t) => {
      if (!app) return t.skip(NO_POSTGRES);
      // (`.` and `..` are refused too, but clients remove such segments before sending.)
      for (const id of ['a%20b', 'x'.repeat(101), '%C3%A9', 'a%2Fb']) {
        assert.equal((await put(id, 'x')).statusCode, 400, id);
      }
      assert.equal((await put('x'.repeat(100), 'x')).statusCode, 201);
      assert.equal((await put('long', 'x'.repeat(10_001))).statusCode, 400);
      assert.equal((await put('long', 'x'.repeat(10_000))).statusCode, 201);
      // PostgreSQL stores no NUL byte: a 400 from the host, never a 500.
      for (const res of [await put('nul', 'a\u0000b'), await get('/notes/?after=%00')]) {
        assert.equal(res.statusCode, 400);
        assert.deepEqual(res.json(), {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'A text value holds a NUL byte (\\u0000), which cannot be stored',
        });
      }
      const typed = await put('typed', 5);
      assert.equal(typed.statusCode, 400);
      assert.equal(typed.json<{ detail: string }>().detail, 'body/text must be string');
    });
  });
}

test('NOTES_PURGE_AFTER_DAYS out of its range stops start-up with one line naming it', async () => {
  await assert.rejects(mountModule(notes, { settings: { NOTES_PURGE_AFTER_DAYS: '-1' } }), {
    message: 'Invalid configuration: NOTES_PURGE_AFTER_DAYS="-1" is not allowed: expected an integer from 0 to 3650',
  });
});

test('the purge job removes the notes deleted more than NOTES_PURGE_AFTER_DAYS ago, and only those', async (t) => {
  const issuer = await testIssuer();
  const authorization = `Bearer ${await issuer.token(['notes:read', 'notes:write'])}`;
  const app = await mountModule(notes, { settings: { NOTES_PURGE_AFTER_DAYS: '0' }, auth: issuer.auth });
  t.after(() => app.close());
  const write = (method: 'PUT' | 'DELETE', id: string) =>
    app.inject({
      method,
      url: `/notes/${id}/`,
      headers: { authorization, ...(method === 'PUT' && json) },
      ...(method === 'PUT' && { payload: { text: id } }),
    });
  for (const id of ['kept', 'gone']) assert.equal((await write('PUT', id)).statusCode, 201);
  assert.equal((await write('DELETE', 'gone')).statusCode, 204);
  await app.platform.jobs.runNow(notes, 'purge');
  const rows = await app.platform.database.host((db) =>
    db.query<{ id: string }>('SELECT id FROM notes.notes ORDER BY id'),
  );
  assert.deepEqual(rows, [{ id: 'kept' }]);
  // A deleted note re-created is new again: 201.
  assert.equal((await write('PUT', 'gone')).statusCode, 201);
});
