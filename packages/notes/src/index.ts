import { defineModule } from '@simple-rest/module-contract';
import { noteRoutes } from './rest/routes.js';
import { SqlNoteStore } from './store/sql-store.js';

export { entityTag, type Note, type NoteStore, parseIfMatch } from './core/notes.js';
export { SqlNoteStore } from './store/sql-store.js';

export default defineModule({
  packageJson: new URL('../package.json', import.meta.url),
  defaultPrefix: '/notes',
  openapi: { tag: 'notes', description: 'Notes kept in PostgreSQL, with ETags' },
  // The host's database: the schema "notes", these migrations run by the host.
  database: { migrations: new URL('../migrations/', import.meta.url) },
  jobs: {
    // Once a day at 03:00 UTC, in one instance of however many.
    purge: { cron: '0 3 * * *', timeoutMs: 60_000 },
  },
  settings: {
    NOTES_PURGE_AFTER_DAYS: {
      type: 'integer',
      default: 30,
      minimum: 0,
      maximum: 3650,
      description: 'a deleted note is removed from the database this many days after its DELETE (the daily purge job)',
    },
  },
  // No I/O here (the build calls it): the host opens the database on first use.
  create: ({ settings, database, log }) => {
    if (database === undefined) throw new Error('the host gave @simple-rest/notes no database');
    const store = new SqlNoteStore(database);
    return {
      routes: noteRoutes(store),
      jobHandlers: {
        purge: async () => {
          const purged = await store.purge(settings.NOTES_PURGE_AFTER_DAYS);
          log.info({ purged }, 'deleted notes purged');
        },
      },
    };
  },
});
