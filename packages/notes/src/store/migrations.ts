import type { Database } from './database.js';

/** The schema's versions, in order; a version once released is never edited, only followed. */
export const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `CREATE TABLE notes (
      id text COLLATE "C" PRIMARY KEY,
      text text NOT NULL,
      revision uuid NOT NULL,
      updated_at timestamptz NOT NULL
    )`,
  },
];

// Any constant, the same in every instance: the key of the lock that serializes migrations.
const MIGRATION_LOCK = 7_301_645_118;

/**
 * Brings the schema to the last version, in one transaction that first takes an advisory lock:
 * instances starting at once on an empty database migrate one after the other, and the later
 * ones find nothing to do (CREATE TABLE IF NOT EXISTS alone races on the catalog).
 */
export async function migrate(database: Database): Promise<number[]> {
  return database.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS notes_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM notes_schema_migrations')).map(
        ({ version }) => version,
      ),
    );
    const pending = MIGRATIONS.filter(({ version }) => !applied.has(version));
    for (const { version, sql } of pending) {
      await tx.query(sql);
      await tx.query('INSERT INTO notes_schema_migrations (version) VALUES ($1)', [version]);
    }
    return pending.map(({ version }) => version);
  });
}
