import type { ModuleDatabase } from '@simple-rest/module-contract';
import type { NoteStore, Precondition, PutResult, StoredNote } from '../core/notes.js';

interface NoteRow {
  readonly id: string;
  readonly text: string;
  readonly revision: string;
  readonly updated_at: Date;
  readonly created?: boolean;
}

const COLUMNS = 'id, text, revision, updated_at';
const LIVE = 'deleted_at IS NULL';

const toNote = (row: NoteRow): StoredNote => ({
  id: row.id,
  text: row.text,
  revision: row.revision,
  updatedAt: row.updated_at.toISOString(),
});

/**
 * The notes in the module's schema of the host's database (migrations/). Every write is one
 * statement, committed when it returns, so a note is answered 2xx only once it is stored. A
 * DELETE marks the note deleted: it is gone for clients at once, and from the table when the
 * purge job runs. The host migrates the schema, answers 503 while the database is out of reach,
 * and 400 for a text PostgreSQL cannot store.
 */
export class SqlNoteStore implements NoteStore {
  constructor(readonly database: ModuleDatabase) {}

  async list(limit: number, after?: string): Promise<StoredNote[]> {
    const rows = await this.database.query<NoteRow>(
      `SELECT ${COLUMNS} FROM notes WHERE ${LIVE} AND ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2`,
      [after ?? null, limit],
    );
    return rows.map(toNote);
  }

  async get(id: string): Promise<StoredNote | undefined> {
    const [row] = await this.database.query<NoteRow>(`SELECT ${COLUMNS} FROM notes WHERE id = $1 AND ${LIVE}`, [id]);
    return row && toNote(row);
  }

  async put(id: string, text: string, precondition?: Precondition): Promise<PutResult> {
    if (precondition === undefined) {
      // Created when this statement inserted the row (xmax is 0 then) or revived a deleted one.
      const [row] = await this.database.query<NoteRow>(
        `INSERT INTO notes (${COLUMNS}) VALUES ($1, $2, gen_random_uuid(), now())
         ON CONFLICT (id) DO UPDATE SET text = EXCLUDED.text, revision = EXCLUDED.revision,
           updated_at = EXCLUDED.updated_at, deleted_at = NULL, revived = notes.deleted_at IS NOT NULL
         RETURNING ${COLUMNS}, (xmax = 0 OR revived) AS created`,
        [id, text],
      );
      if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
      return { outcome: row.created ? 'created' : 'replaced', note: toNote(row) };
    }
    const [row] = await this.database.query<NoteRow>(
      `UPDATE notes SET text = $2, revision = gen_random_uuid(), updated_at = now()
       WHERE id = $1 AND ${LIVE} AND ($3 OR revision = ANY($4::uuid[])) RETURNING ${COLUMNS}`,
      [id, text, 'any' in precondition, 'revisions' in precondition ? precondition.revisions : []],
    );
    return row ? { outcome: 'replaced', note: toNote(row) } : { outcome: 'precondition failed' };
  }

  async delete(id: string, precondition?: Precondition): Promise<boolean> {
    const rows = await this.database.query<{ id: string }>(
      `UPDATE notes SET deleted_at = now() WHERE id = $1 AND ${LIVE} AND ($2 OR revision = ANY($3::uuid[])) RETURNING id`,
      [
        id,
        precondition === undefined || 'any' in precondition,
        precondition && 'revisions' in precondition ? precondition.revisions : [],
      ],
    );
    return rows.length > 0;
  }

  /** Removes the notes deleted more than `days` days ago; resolves to how many. */
  async purge(days: number): Promise<number> {
    const rows = await this.database.query<{ id: string }>(
      'DELETE FROM notes WHERE deleted_at < now() - make_interval(days => $1) RETURNING id',
      [days],
    );
    return rows.length;
  }
}
