import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Connection, identifier, type Queryable, type Scope } from './connection.js';

/** One migration file: `NNN_what.sql`, its version the number. */
export interface Migration {
  readonly version: number;
  readonly file: string;
  readonly sql: string;
  /** SHA-256 of the file's bytes, recorded when it runs and compared at every start after. */
  readonly checksum: string;
}

/** A migration history that cannot be applied: the start stops, or the module stays unready. */
export class MigrationError extends Error {
  override name = 'MigrationError';
  readonly statusCode = 503;
}

const MIGRATION_FILE = /^(\d+)_[A-Za-z0-9_.-]+\.sql$/;

/** The module's migrations in version order; a file named otherwise, or a version twice, is refused. */
export function readMigrations(folder: URL, moduleName: string): Migration[] {
  const path = fileURLToPath(folder);
  let files: string[];
  try {
    files = readdirSync(path).filter((file) => file.endsWith('.sql'));
  } catch {
    throw new MigrationError(`"${moduleName}" declares migrations in ${path}, which cannot be read`);
  }
  const migrations = files.map((file) => {
    const [, number] = MIGRATION_FILE.exec(file) ?? [];
    if (number === undefined) {
      throw new MigrationError(`"${moduleName}" has a migration named ${file}: expected NNN_what.sql`);
    }
    const bytes = readFileSync(`${path}/${file}`);
    return {
      version: Number(number),
      file,
      sql: bytes.toString('utf8'),
      checksum: createHash('sha256').update(bytes).digest('hex'),
    };
  });
  migrations.sort((a, b) => a.version - b.version);
  const twice = migrations.find((migration, index) => migrations[index - 1]?.version === migration.version);
  if (twice) throw new MigrationError(`"${moduleName}" has two migrations numbered ${twice.version}`);
  return migrations;
}

/** The host's own schema: which migrations ran in which module schema, and the jobs. */
export const HOST_SCHEMA: Scope = { schema: 'simple_rest' };

const HOST_TABLES = `
  CREATE SCHEMA IF NOT EXISTS simple_rest;
  CREATE TABLE IF NOT EXISTS simple_rest.migrations (
    schema_name text NOT NULL,
    version integer NOT NULL,
    file text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (schema_name, version)
  );
  CREATE TABLE IF NOT EXISTS simple_rest.job_schedules (
    module text NOT NULL,
    job text NOT NULL,
    last_fire_time timestamptz NOT NULL,
    PRIMARY KEY (module, job)
  );
  CREATE TABLE IF NOT EXISTS simple_rest.jobs (
    id bigserial PRIMARY KEY,
    module text NOT NULL,
    job text NOT NULL,
    fire_time timestamptz,
    payload jsonb,
    state text NOT NULL DEFAULT 'pending',
    attempts integer NOT NULL DEFAULT 0,
    run_after timestamptz NOT NULL DEFAULT now(),
    locked_by text,
    lease_until timestamptz,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    UNIQUE (module, job, fire_time)
  );
  CREATE INDEX IF NOT EXISTS jobs_due ON simple_rest.jobs (run_after) WHERE state IN ('pending', 'running');
`;

// Advisory lock keys, the same in every instance: the host's tables, then one per module schema.
const LOCK_SPACE = 0x5e57;
const lockSql = 'SELECT pg_advisory_xact_lock($1, hashtext($2))';

/** Creates the host's schema and tables once, under a lock: instances starting together wait for the first. */
export async function createHostTables(connection: Connection): Promise<void> {
  await connection.use(
    HOST_SCHEMA,
    async (tx) => {
      await tx.query(lockSql, [LOCK_SPACE, 'simple_rest']);
      await tx.exec(HOST_TABLES);
    },
    true,
  );
}

export interface MigrationState {
  /** The last migration this code has. */
  readonly code: number;
  /** The last migration the database has run: above `code` after a downgrade. */
  readonly database: number;
  /** What this call ran. */
  readonly ran: readonly string[];
}

export interface ModuleSchema extends Scope {
  readonly moduleName: string;
  readonly migrations: readonly Migration[];
}

/**
 * Brings a module's schema to its last migration, in one transaction under the schema's
 * advisory lock: instances starting at once migrate one after the other, and the later ones
 * find nothing to do. Makes the module's role and schema first where the host may. A migration
 * that ran and has since changed stops it, naming the file; a database a newer version migrated
 * is left as it is.
 */
export async function migrateSchema(connection: Connection, module: ModuleSchema): Promise<MigrationState> {
  const { schema, role, moduleName, migrations } = module;
  return connection.use(
    HOST_SCHEMA,
    async (tx) => {
      await tx.query(lockSql, [LOCK_SPACE, schema]);
      await createSchema(tx, module);
      const applied = await tx.query<{ version: number; file: string; checksum: string }>(
        'SELECT version, file, checksum FROM simple_rest.migrations WHERE schema_name = $1 ORDER BY version',
        [schema],
      );
      const byVersion = new Map(applied.map((row) => [row.version, row]));
      for (const migration of migrations) {
        const ran = byVersion.get(migration.version);
        if (ran !== undefined && ran.checksum !== migration.checksum) {
          throw new MigrationError(
            `"${moduleName}": migration ${migration.file} was edited after it ran (its checksum differs from the one recorded); restore it and put the change in a new migration`,
          );
        }
      }
      const code = migrations.at(-1)?.version ?? 0;
      const before = applied.at(-1)?.version ?? 0;
      // Forward only: after a downgrade, the newer version's schema is left as it is.
      const pending = before > code ? [] : migrations.filter(({ version }) => !byVersion.has(version));
      for (const migration of pending) {
        await tx.exec(
          `SET LOCAL ROLE ${role === undefined ? 'NONE' : identifier(role)}; SET LOCAL search_path TO ${identifier(schema)}`,
        );
        await tx.exec(migration.sql);
        await tx.exec('SET LOCAL ROLE NONE; SET LOCAL search_path TO simple_rest');
        await tx.query(
          'INSERT INTO simple_rest.migrations (schema_name, version, file, checksum) VALUES ($1, $2, $3, $4)',
          [schema, migration.version, migration.file, migration.checksum],
        );
      }
      return { code, database: Math.max(before, pending.at(-1)?.version ?? 0), ran: pending.map(({ file }) => file) };
    },
    true,
  );
}

/** The module's schema, owned by its role where it has one; the role may use nothing else. */
async function createSchema(tx: Queryable, { schema, role }: Scope): Promise<void> {
  if (role === undefined) {
    await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${identifier(schema)}`);
    return;
  }
  const [existing] = await tx.query<{ member: boolean }>(
    'SELECT pg_has_role(current_user, oid, $2) AS member FROM pg_roles WHERE rolname = $1',
    [role, 'MEMBER'],
  );
  if (existing === undefined) await tx.exec(`CREATE ROLE ${identifier(role)} NOLOGIN`);
  if (existing?.member !== true) await tx.exec(`GRANT ${identifier(role)} TO CURRENT_USER`);
  await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${identifier(schema)} AUTHORIZATION ${identifier(role)}`);
}

/** Whether the login may create roles: then each module gets one, with rights on its own schema only. */
export async function mayCreateRoles(connection: Connection): Promise<boolean> {
  if (connection.kind === 'embedded') return false;
  const [row] = await connection.use(
    HOST_SCHEMA,
    (tx) =>
      tx.query<{ allowed: boolean }>(
        'SELECT rolsuper OR rolcreaterole AS allowed FROM pg_roles WHERE rolname = current_user',
      ),
    false,
  );
  return row?.allowed === true;
}
