import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { embeddedStatement } from '../../src/platform/database/embedded-statement.js';

let db: PGlite;
before(async () => {
  db = await PGlite.create();
  await db.exec(`CREATE SCHEMA a; CREATE SCHEMA b;
    CREATE TABLE a.t (id text PRIMARY KEY, n integer, flag boolean, tags uuid[], doc jsonb, at timestamptz);
    CREATE TABLE b.t (id integer PRIMARY KEY);`);
});
after(() => db.close());

/** Counts the protocol trips into the database. */
function counted(): { trips: () => number } {
  let trips = 0;
  const original = db.execProtocolStream.bind(db);
  db.execProtocolStream = (...args) => {
    trips += 1;
    return original(...args);
  };
  return { trips: () => trips };
}

test('a statement gives the rows PGlite’s query() gives, for every kind of parameter and column', async () => {
  const run = await embeddedStatement(db);
  await db.exec('SET search_path TO a');
  const tag = '5f0c9a38-5a0e-4d1b-9a4e-0d6f3c1f2e11';
  const at = new Date('2026-12-06T07:00:00.000Z');
  const insert = 'INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6) RETURNING *';
  const inserted = await run('a', insert, ['x', 7, true, [tag], { k: [1, 'v'] }, at]);
  assert.deepEqual(inserted, [{ id: 'x', n: 7, flag: true, tags: [tag], doc: { k: [1, 'v'] }, at }]);
  const select = 'SELECT * FROM t WHERE id = $1 AND ($2::integer IS NULL OR n = $2) AND $3 = ANY(tags)';
  assert.deepEqual(await run('a', select, ['x', null, tag]), (await db.query(select, ['x', null, tag])).rows);
  assert.deepEqual(await run('a', 'SELECT count(*)::int AS n FROM t', []), [{ n: 1 }]);
  assert.deepEqual(await run('a', 'UPDATE t SET n = 8 WHERE id = $1', ['nobody']), []);
});

test('after the first time, a statement takes one trip into the database, not six', async () => {
  const run = await embeddedStatement(db);
  await db.exec('SET search_path TO a');
  const { trips } = counted();
  const sql = 'SELECT id FROM t WHERE id = $1';
  await run('a', sql, ['x']);
  const first = trips();
  await run('a', sql, ['x']);
  await run('a', sql, ['y']);
  assert.equal(first, 2); // the parameter types, then the statement
  assert.equal(trips() - first, 2);
});

test('the same text in another schema is described again: its parameters may be of other types', async () => {
  const run = await embeddedStatement(db);
  const sql = 'SELECT id FROM t WHERE id = $1';
  await db.exec('SET search_path TO a');
  assert.deepEqual(await run('a', sql, ['x']), [{ id: 'x' }]);
  await db.exec('SET search_path TO b');
  await db.exec('INSERT INTO t VALUES (3)');
  assert.deepEqual(await run('b', sql, [3]), [{ id: 3 }]);
});

test('an error keeps its SQLSTATE, and the next statement runs', async () => {
  const run = await embeddedStatement(db);
  await db.exec('SET search_path TO a');
  await assert.rejects(run('a', 'INSERT INTO t (id) VALUES ($1)', ['x']), { code: '23505' });
  await assert.rejects(run('a', 'INSERT INTO t (id) VALUES ($1)', ['nul\u0000']), { code: '22021' });
  await assert.rejects(run('a', 'SELEC 1', []), { code: '42601' });
  assert.deepEqual(await run('a', 'SELECT id FROM t WHERE id = $1', ['x']), [{ id: 'x' }]);
});
