import { defineModule } from '@simple-rest/module-contract';
import { noteRoutes } from './rest/routes.js';
import { embedded, postgres } from './store/database.js';
import { SqlNoteStore } from './store/sql-store.js';

export { entityTag, type Note, type NoteStore, parseIfMatch } from './core/notes.js';
export { MIGRATIONS, migrate } from './store/migrations.js';
export { DatabaseUnavailableError, isUnavailable, SqlNoteStore } from './store/sql-store.js';

export default defineModule({
  packageJson: new URL('../package.json', import.meta.url),
  defaultPrefix: '/notes',
  openapi: { tag: 'notes', description: 'Notes kept in PostgreSQL, with ETags' },
  settings: {
    NOTES_DATABASE_URL: {
      type: 'string',
      pattern: '^postgres(ql)?://',
      allowed: 'a postgres:// or postgresql:// URL',
      secret: true,
      description: 'the PostgreSQL to keep notes in; unset, an embedded one (NOTES_DATA_DIR)',
    },
    NOTES_DATA_DIR: {
      type: 'string',
      minLength: 1,
      allowed: 'a directory path',
      description: 'without NOTES_DATABASE_URL: where the embedded PostgreSQL keeps its files; unset, in memory',
    },
    NOTES_POOL_SIZE: {
      type: 'integer',
      default: 10,
      minimum: 1,
      maximum: 100,
      description: 'connections to NOTES_DATABASE_URL, at most, per instance',
    },
    NOTES_STATEMENT_TIMEOUT_MS: {
      type: 'integer',
      default: 3000,
      minimum: 100,
      maximum: 60_000,
      description: 'a statement running longer is cancelled and answered 503',
    },
  },
  // No I/O here (the build calls it): the pool connects, and the embedded database opens, on first use.
  create: ({ settings, log }) => {
    const url = settings.NOTES_DATABASE_URL;
    const database =
      url === undefined
        ? embedded(settings.NOTES_DATA_DIR)
        : postgres({
            url,
            poolSize: settings.NOTES_POOL_SIZE,
            statementTimeoutMs: settings.NOTES_STATEMENT_TIMEOUT_MS,
            log,
          });
    if (url === undefined) {
      log.warn(
        settings.NOTES_DATA_DIR === undefined
          ? 'notes are kept in an embedded PostgreSQL in memory: they are lost at exit (set NOTES_DATABASE_URL or NOTES_DATA_DIR)'
          : 'notes are kept in an embedded PostgreSQL in NOTES_DATA_DIR: one process at a time',
      );
    }
    const store = new SqlNoteStore(database);
    return { routes: noteRoutes(store), ready: () => store.ready(), close: () => store.close() };
  },
});
