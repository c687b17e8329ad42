import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { invalidConfiguration } from '../../config/environment.js';

/**
 * Checks that the embedded database may use `dataDir` (unset: memory) and opens it there. The
 * folder is made 0700, and one that others may read is refused: PGlite writes its files with
 * the process umask, and a note's text would be readable in the WAL. One process at a time: a
 * lock file holds the owner's pid, and a second process refuses to start rather than lose writes.
 */
export function embeddedDatabase(dataDir: string | undefined): { open: () => Promise<PGlite>; release: () => void } {
  try {
    import.meta.resolve('@electric-sql/pglite');
  } catch {
    throw invalidConfiguration(
      'DATABASE_URL is unset, and this installation has no embedded PostgreSQL (@electric-sql/pglite; the image has none): set DATABASE_URL',
    );
  }
  if (dataDir === undefined) {
    return { open: async () => (await import('@electric-sql/pglite')).PGlite.create(), release: () => undefined };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const mode = statSync(dataDir).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw invalidConfiguration(
      `DATABASE_DATA_DIR="${dataDir}" may be read by other users (mode ${mode.toString(8)}): chmod 700 it, or name a new folder`,
    );
  }
  const lock = join(dataDir, 'owner.pid');
  takeLock(lock, dataDir);
  return {
    open: async () => {
      const { PGlite } = await import('@electric-sql/pglite');
      const files = join(dataDir, 'pgdata');
      mkdirSync(files, { recursive: true, mode: 0o700 });
      chmodSync(files, 0o700);
      return PGlite.create(files);
    },
    release: () => rmSync(lock, { force: true }),
  };
}

/** Writes this process's pid into `lock`, unless a live other process's pid is there. */
function takeLock(lock: string, dataDir: string): void {
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = Number(readFileSync(lock, 'utf8'));
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
    throw invalidConfiguration(
      `DATABASE_DATA_DIR="${dataDir}" is in use by process ${owner}: the embedded database takes one process (set DATABASE_URL to share a PostgreSQL)`,
    );
  }
  // The owner is gone (killed, or this process after a restart in a container): take it over.
  writeFileSync(lock, String(process.pid), { mode: 0o600 });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
