/** A note as clients see it. */
export interface Note {
  readonly id: string;
  readonly text: string;
  /** When it was last written, as an ISO 8601 string. */
  readonly updatedAt: string;
}

/** A note with its revision: a UUID drawn anew on every write, so a value never comes back after a delete. */
export interface StoredNote extends Note {
  readonly revision: string;
}

/** What If-Match asks: any current note (`*`), or one of these revisions. */
export type Precondition = { readonly any: true } | { readonly revisions: readonly string[] };

/** Where the notes live: PostgreSQL or the embedded one, behind the same operations. */
export interface NoteStore {
  /** Up to `limit` notes with ids after `after`, ordered by id (byte order). */
  list(limit: number, after?: string): Promise<StoredNote[]>;
  get(id: string): Promise<StoredNote | undefined>;
  /** Creates or replaces; with a precondition, only replaces a note it matches. Resolves once committed. */
  put(id: string, text: string, precondition?: Precondition): Promise<PutResult>;
  /** True when a note (matching the precondition, if any) was deleted. */
  delete(id: string, precondition?: Precondition): Promise<boolean>;
  /** Removes the notes deleted more than `days` days ago; resolves to how many. */
  purge(days: number): Promise<number>;
}

export type PutResult =
  | { readonly outcome: 'created' | 'replaced'; readonly note: StoredNote }
  | { readonly outcome: 'precondition failed' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A note's strong entity tag: its revision, quoted. */
export function entityTag(note: StoredNote): string {
  return `"${note.revision}"`;
}

/**
 * Reads an If-Match header (RFC 9110 §13.1.1): `*`, or entity tags compared strongly, so a weak
 * tag (`W/"…"`) and anything that is not one of our revisions can never match.
 */
export function parseIfMatch(header: string | undefined): Precondition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { any: true };
  const revisions = header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag.startsWith('"') && tag.endsWith('"'))
    .map((tag) => tag.slice(1, -1))
    .filter((revision) => UUID.test(revision));
  return { revisions };
}

/** The note as it is answered: without its revision, which travels as the ETag. */
export function publicNote({ id, text, updatedAt }: StoredNote): Note {
  return { id, text, updatedAt };
}
