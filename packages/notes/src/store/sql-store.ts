import type { NoteStore, Precondition, PutResult, StoredNote } from '../core/notes.js';
import type { Database } from './database.js';
import { migrate } from './migrations.js';

/** The database cannot be reached or is refusing work: the request is worth retrying later. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

// Network failures, and SQLSTATE classes 08 (connection), 53 (insufficient resources) and
// 57 (operator intervention: shutdown, statement timeout).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
const UNAVAILABLE_SQLSTATE = /^(08|53|57)/;
// pg's own words for a connection it could not get or lost, which carry no code.
const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|connection error|Query read timeout|Cannot use a pool after calling end/i;

/** True for an error that says the database is out of reach, not that the query was wrong. */
export function isUnavailable(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || (code.length === 5 && UNAVAILABLE_SQLSTATE.test(code)))) {
    return true;
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}

interface NoteRow {
  readonly id: string;
  readonly text: string;
  readonly revision: string;
  readonly updated_at: Date;
  readonly created?: boolean;
}

const COLUMNS = 'id, text, revision, updated_at';

const toNote = (row: NoteRow): StoredNote => ({
  id: row.id,
  text: row.text,
  revision: row.revision,
  updatedAt: row.updated_at.toISOString(),
});

/**
 * The notes in a PostgreSQL table (schema in migrations.ts). Every write is one statement,
 * committed when it returns, so a note is answered 2xx only once it is stored. The schema is
 * migrated on first use, and again after a failure, so a database that was down at start is
 * taken into use when it comes back.
 */
export class SqlNoteStore implements NoteStore {
  #migrated: Promise<unknown> | undefined;

  constructor(readonly database: Database) {}

  async list(limit: number, after?: string): Promise<StoredNote[]> {
    const rows = await this.#query<NoteRow>(
      `SELECT ${COLUMNS} FROM notes WHERE $1::text IS NULL OR id > $1 ORDER BY id LIMIT $2`,
      [after ?? null, limit],
    );
    return rows.map(toNote);
  }

  async get(id: string): Promise<StoredNote | undefined> {
    const [row] = await this.#query<NoteRow>(`SELECT ${COLUMNS} FROM notes WHERE id = $1`, [id]);
    return row && toNote(row);
  }

  async put(id: string, text: string, precondition?: Precondition): Promise<PutResult> {
    if (precondition === undefined) {
      // xmax is 0 on a row this statement inserted, not on one it updated.
      const [row] = await this.#query<NoteRow>(
        `INSERT INTO notes (${COLUMNS}) VALUES ($1, $2, gen_random_uuid(), now())
         ON CONFLICT (id) DO UPDATE SET text = EXCLUDED.text, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at
         RETURNING ${COLUMNS}, (xmax = 0) AS created`,
        [id, text],
      );
      if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
      return { outcome: row.created ? 'created' : 'replaced', note: toNote(row) };
    }
    const [row] = await this.#query<NoteRow>(
      `UPDATE notes SET text = $2, revision = gen_random_uuid(), updated_at = now()
       WHERE id = $1 AND ($3 OR revision = ANY($4::uuid[])) RETURNING ${COLUMNS}`,
      [id, text, 'any' in precondition, 'revisions' in precondition ? precondition.revisions : []],
    );
    return row ? { outcome: 'replaced', note: toNote(row) } : { outcome: 'precondition failed' };
  }

  async delete(id: string, precondition?: Precondition): Promise<boolean> {
    const rows = await this.#query<{ id: string }>(
      'DELETE FROM notes WHERE id = $1 AND ($2 OR revision = ANY($3::uuid[])) RETURNING id',
      [
        id,
        precondition === undefined || 'any' in precondition,
        precondition && 'revisions' in precondition ? precondition.revisions : [],
      ],
    );
    return rows.length > 0;
  }

  async ready(): Promise<void> {
    await this.#query('SELECT 1');
  }

  close(): Promise<void> {
    return this.database.close();
  }

  /** A query once the schema is migrated; a database out of reach becomes DatabaseUnavailableError. */
  async #query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    try {
      this.#migrated ??= migrate(this.database).catch((error: unknown) => {
        this.#migrated = undefined;
        throw error;
      });
      await this.#migrated;
      return await this.database.query<Row>(sql, params);
    } catch (error) {
      if (isUnavailable(error))
        throw new DatabaseUnavailableError('The notes database is unavailable', { cause: error });
      throw error;
    }
  }
}
