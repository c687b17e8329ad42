import type { PGlite } from '@electric-sql/pglite';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';

/** What the store needs of a database: parameterized queries, and transactions for migrations. */
export interface Queryable {
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
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
 * PostgreSQL through a pg connection pool. Connections open on first use and again after the
 * database comes back, so the module recovers without a restart. An idle connection that dies
 * (a database restart) is logged, not thrown: without a listener the pool's 'error' event would
 * end the process.
 */
export function postgres({ url, poolSize, statementTimeoutMs, log }: PostgresOptions): Database {
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
  const queryable = (client: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <Row>(sql: string, params: readonly unknown[] = []) =>
      (await client.query(sql, [...params])).rows as Row[],
  });
  return {
    ...queryable(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * The embedded PostgreSQL (PGlite, PostgreSQL compiled to WebAssembly), in memory or kept in
 * `dataDir`. Loaded and opened on first use: opening takes seconds, and the build and the tests
 * that never touch the notes should not pay it.
 */
export function embedded(dataDir: string | undefined): Database {
  try {
    import.meta.resolve('@electric-sql/pglite');
  } catch {
    throw new Error(
      'NOTES_DATABASE_URL is unset, and this installation has no embedded PostgreSQL (@electric-sql/pglite; the image has none): set NOTES_DATABASE_URL',
    );
  }
  let opening: Promise<PGlite> | undefined;
  const open = () => {
    opening ??= import('@electric-sql/pglite').then(({ PGlite }) => PGlite.create(dataDir));
    return opening;
  };
  return {
    query: async <Row>(sql: string, params: readonly unknown[] = []) =>
      (await (await open()).query<Row>(sql, [...params])).rows,
    transaction: async (work) =>
      (await open()).transaction((tx) =>
        work({
          query: async <Row>(sql: string, params: readonly unknown[] = []) =>
            (await tx.query<Row>(sql, [...params])).rows,
        }),
      ),
    close: async () => {
      if (opening) await (await opening).close();
    },
  };
}
