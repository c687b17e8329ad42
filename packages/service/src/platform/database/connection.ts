import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { type EmbeddedStatement, embeddedStatement } from './embedded-statement.js';
import { isUnavailable } from './errors.js';

/** What a statement runs on: parameterized queries, and scripts of several statements (migrations). */
export interface Queryable {
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements, no parameters: a migration file. */
  exec(sql: string): Promise<void>;
}

/**
 * Who a statement runs for: the host, or a module in its schema (and its role, where the host
 * made one). Keep one object per scope: the SQL that sets it is written once per object.
 */
export interface Scope {
  readonly schema: string;
  readonly role?: string;
}

/** One database, PostgreSQL or the embedded one, behind the same use(). */
export interface Connection {
  readonly kind: 'postgres' | 'embedded';
  /** Runs `work` on one connection set to the scope, inside a transaction when asked. */
  use<T>(scope: Scope, work: (queryable: Queryable) => Promise<T>, transaction: boolean): Promise<T>;
  /** One statement on a connection set to the scope: what most of a module's queries are, on the shortest path. */
  query<Row>(scope: Scope, sql: string, params: readonly unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

/** A PostgreSQL identifier, quoted. */
export const identifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

const scopeSqlOf = new WeakMap<Scope, string>();
/** The statements that set a connection to a scope, written once per scope object. */
function scopeSql(scope: Scope): string {
  let sql = scopeSqlOf.get(scope);
  if (sql === undefined) {
    const role = scope.role === undefined ? 'NONE' : identifier(scope.role);
    sql = `SET ROLE ${role}; SET search_path TO ${identifier(scope.schema)}`;
    scopeSqlOf.set(scope, sql);
  }
  return sql;
}

export interface PostgresOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
  readonly log: FastifyBaseLogger;
}

/** How long to wait for a connection: a database that does not answer gets 503, not a hang. */
const CONNECT_TIMEOUT_MS = 2000;

/**
 * PostgreSQL through one pg pool for the whole service. A connection is set to a scope (role
 * and search_path) only when the scope differs from the one it was last set to, so a service
 * with one database module pays it once per connection. Connections open on first use and again
 * after the database comes back; an idle one that dies (a restart) is logged, not thrown:
 * without a listener the pool's 'error' event would end the process.
 */
export function postgresConnection({ url, poolSize, statementTimeoutMs, log }: PostgresOptions): Connection {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // The server cancels a statement past this; the client gives up a little later, in case the
    // server itself does not answer.
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 500,
    idleTimeoutMillis: 10_000,
  });
  pool.on('error', (error) =>
    log.warn({ code: (error as { code?: string }).code, reason: error.message }, 'idle database connection lost'),
  );
  const scopeOf = new WeakMap<pg.PoolClient, string>();
  /**
   * Sets the connection to the scope, unless it already is: then nothing is awaited, which is
   * nearly every use (a connection serves one module until another takes it).
   */
  const setScope = (client: pg.PoolClient, scope: Scope): Promise<void> | undefined => {
    const setting = scopeSql(scope);
    if (scopeOf.get(client) === setting) return undefined;
    scopeOf.delete(client);
    return client.query(setting).then(() => {
      scopeOf.set(client, setting);
    });
  };
  // A connection that failed as a connection is dropped rather than reused.
  const release = (client: pg.PoolClient, failure: unknown) =>
    client.release(failure !== undefined && isUnavailable(failure) ? (failure as Error) : undefined);
  const queryable = (client: pg.PoolClient): Queryable => ({
    query: async <Row>(sql: string, params: readonly unknown[] = []) =>
      (await client.query(sql, params as unknown[])).rows as Row[],
    exec: async (sql) => void (await client.query(sql)),
  });
  return {
    kind: 'postgres',
    async use(scope, work, transaction) {
      const client = await pool.connect();
      let failure: unknown;
      try {
        const switching = setScope(client, scope);
        if (switching) await switching;
        if (!transaction) return await work(queryable(client));
        await client.query('BEGIN');
        try {
          const result = await work(queryable(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        release(client, failure);
      }
    },
    async query<Row>(scope: Scope, sql: string, params: readonly unknown[]) {
      const client = await pool.connect();
      let failure: unknown;
      try {
        const switching = setScope(client, scope);
        if (switching) await switching;
        return (await client.query(sql, params as unknown[])).rows as Row[];
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        release(client, failure);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * The embedded PostgreSQL (PGlite, PostgreSQL compiled to WebAssembly): one connection, in
 * memory or in a folder. Uses run one after the other (PGlite runs one statement at a time
 * anyway), so the search_path set for one module is never seen by another's statement, and it is
 * set again only when the scope changes. Opened on first use: opening takes seconds, and the
 * build and the tests that never touch a database should not pay it.
 */
export function embeddedConnection(open: () => Promise<PGlite>): Connection {
  interface Opened {
    readonly db: PGlite;
    readonly statement: EmbeddedStatement;
  }
  let opening: Promise<Opened> | undefined;
  const database = () => {
    opening ??= open().then(
      async (db) => ({ db, statement: await embeddedStatement(db) }),
      (error: unknown) => {
        opening = undefined;
        throw error;
      },
    );
    return opening;
  };
  const queryable = (db: PGlite | Transaction): Queryable => ({
    query: async <Row>(sql: string, params: readonly unknown[] = []) => (await db.query<Row>(sql, [...params])).rows,
    exec: async (sql) => void (await db.exec(sql)),
  });
  let current: string | undefined;
  /** The database, set to the scope's schema. */
  const scoped = async (scope: Scope): Promise<Opened> => {
    const opened = await database();
    if (current !== scope.schema) {
      current = undefined;
      await opened.db.exec(`SET search_path TO ${identifier(scope.schema)}`);
      current = scope.schema;
    }
    return opened;
  };
  let last: Promise<unknown> = Promise.resolve();
  /** Runs `run` after every use before it. */
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const result = last.then(run, run);
    last = result.catch(() => undefined);
    return result;
  };
  return {
    kind: 'embedded',
    use: (scope, work, transaction) =>
      inTurn(async () => {
        const { db } = await scoped(scope);
        return transaction ? db.transaction((tx) => work(queryable(tx))) : work(queryable(db));
      }),
    query: <Row>(scope: Scope, sql: string, params: readonly unknown[]) =>
      inTurn(async () => (await scoped(scope)).statement<Row>(scope.schema, sql, params)),
    close: async () => {
      if (opening) await (await opening).db.close();
    },
  };
}
