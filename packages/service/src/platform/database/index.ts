import type { ModuleDatabase, RestModule } from '@simple-rest/module-contract';
import type { FastifyBaseLogger } from 'fastify';
import { type Connection, embeddedConnection, postgresConnection, type Queryable, type Scope } from './connection.js';
import { embeddedDatabase } from './embedded.js';
import { translateError } from './errors.js';
import {
  createHostTables,
  HOST_SCHEMA,
  type MigrationState,
  mayCreateRoles,
  migrateSchema,
  readMigrations,
} from './migrations.js';
import { connectionShare } from './share.js';

export { DatabaseUnavailableError, isUnavailable, NulInTextError } from './errors.js';
export { MigrationError } from './migrations.js';

/** The service's database settings (DATABASE_*). */
export interface DatabaseSettings {
  /** PostgreSQL; unset, the embedded one. */
  readonly url?: string;
  /** Where the embedded one keeps its files; unset, in memory. */
  readonly dataDir?: string;
  readonly poolSize: number;
  /** The most connections one module holds at once: the rest stay for the others. */
  readonly moduleConnections: number;
  readonly statementTimeoutMs: number;
}

/** A module's schema as the host holds it: the client the module gets, and what /readyz and /version ask. */
export interface ModuleSchemaHandle {
  readonly database: ModuleDatabase;
  /** Makes the role and schema and runs the migrations, once; again after a failure. */
  prepare(): Promise<MigrationState>;
  /** The same, every time it is called (npm run migrate, the conformance kit). */
  migrate(): Promise<MigrationState>;
  /** Resolves when the schema is migrated and the database answers. */
  ready(): Promise<void>;
  /** The schema and its migrations as last seen; undefined before the first prepare(). */
  readonly state: { readonly schema: string; readonly migrations?: Omit<MigrationState, 'ran'> };
}

/** The schema a module gets unless it names one: its unscoped package name, as an identifier. */
export function schemaNameOf(module: RestModule): string {
  const declared = module.database?.schema;
  if (declared !== undefined) return declared;
  const unscoped = module.name.replace(/^@[^/]+\//, '');
  return unscoped
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^(?=[0-9])/, '_')
    .slice(0, 63);
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
// The host's schema, PostgreSQL's own and pg_* are not a module's to take.
const RESERVED_SCHEMAS = /^(simple_rest|public|information_schema|pg_.*)$/;

/**
 * The host's database service: one pool (or the embedded database) for every module that
 * declares `database`, each in a schema of its own, migrated by the host. No I/O until a module
 * asks: the build and the tests that mount no database module open nothing.
 */
export class DatabaseService {
  readonly #settings: DatabaseSettings;
  readonly #log: FastifyBaseLogger;
  #connection: Connection | undefined;
  #release: () => void = () => undefined;
  #hostTables: Promise<boolean> | undefined;
  readonly #schemas = new Map<string, string>();

  constructor(settings: DatabaseSettings, log: FastifyBaseLogger) {
    this.#settings = settings;
    this.#log = log;
  }

  /** True for the embedded database, which one process uses at a time (main.ts refuses more). */
  get embedded(): boolean {
    return this.#settings.url === undefined;
  }

  /** True once a module has asked for a schema. */
  get inUse(): boolean {
    return this.#schemas.size > 0;
  }

  /** The module's schema: refuses a name that is not an identifier, reserved, or another module's. */
  forModule(module: RestModule, log: FastifyBaseLogger): ModuleSchemaHandle {
    const declaration = module.database;
    if (declaration === undefined) throw new Error(`"${module.name}" declares no database`);
    const schema = schemaNameOf(module);
    if (!SCHEMA_NAME.test(schema) || RESERVED_SCHEMAS.test(schema)) {
      throw new Error(`"${module.name}" names the schema "${schema}": expected a lower-case identifier, not reserved`);
    }
    const owner = this.#schemas.get(schema);
    if (owner !== undefined && owner !== module.name) {
      throw new Error(`"${module.name}" and "${owner}" both want the schema "${schema}": set database.schema in one`);
    }
    this.#schemas.set(schema, module.name);
    const migrations = readMigrations(declaration.migrations, module.name);
    const share = connectionShare(this.#settings.moduleConnections);
    const state: { schema: string; migrations?: Omit<MigrationState, 'ran'> } = { schema };
    let role: string | undefined;
    // One object for every statement, so the connection knows it without comparing strings.
    let scope: Scope = { schema };
    let prepared: Promise<MigrationState> | undefined;
    let migrated = false;
    const migrate = async () => {
      role = (await this.#ensureHostTables()) ? `${schema}_module` : undefined;
      scope = role === undefined ? { schema } : { schema, role };
      const result = await migrateSchema(this.#use(), {
        schema,
        ...(role && { role }),
        moduleName: module.name,
        migrations,
      });
      state.migrations = { code: result.code, database: result.database };
      if (result.ran.length > 0) log.info({ schema, migrations: result.ran }, 'migrations applied');
      if (result.database > result.code) {
        log.warn(
          { schema, code: result.code, database: result.database },
          'the database was migrated by a newer version of this module: its later migrations are kept, not undone',
        );
      }
      return result;
    };
    const prepare = () => {
      prepared ??= migrate().then(
        (result) => {
          migrated = true;
          return result;
        },
        (error: unknown) => {
          prepared = undefined;
          throw error;
        },
      );
      return prepared;
    };
    // Each use holds one of the module's share of connections; a single statement takes the
    // connection's shortest path (no callback, no transaction).
    const within = async <T>(use: (connection: Connection) => Promise<T>): Promise<T> => {
      const turn = share.enter();
      if (turn) await turn;
      try {
        if (!migrated) await prepare();
        return await use(this.#use());
      } catch (error) {
        throw translateError(error);
      } finally {
        share.leave();
      }
    };
    const database: ModuleDatabase = {
      schema,
      query: <Row>(sql: string, params: readonly unknown[] = []) =>
        within((connection) => connection.query<Row>(scope, sql, params)),
      transaction: (work) =>
        within((connection) =>
          connection.use(scope, (q) => work({ query: (sql, params) => q.query(sql, params) }), true),
        ),
    };
    return {
      database,
      prepare,
      migrate,
      ready: async () => void (await database.query('SELECT 1')),
      state,
    };
  }

  /** Runs host statements (the jobs' tables) once the host's tables exist. */
  async host<T>(work: (queryable: Queryable) => Promise<T>, transaction = false): Promise<T> {
    await this.#ensureHostTables();
    return this.#use().use(HOST_SCHEMA, work, transaction);
  }

  /** Closes the pool (or the embedded database) once nothing uses it: after the last answer and the last job. */
  async close(): Promise<void> {
    if (this.#connection === undefined) return;
    try {
      await this.#connection.close();
      this.#log.info('database closed');
    } finally {
      this.#release();
    }
  }

  #use(): Connection {
    if (this.#connection === undefined) {
      const { url, dataDir, poolSize, statementTimeoutMs } = this.#settings;
      if (url === undefined) {
        const embedded = embeddedDatabase(dataDir);
        this.#release = embedded.release;
        this.#connection = embeddedConnection(embedded.open);
      } else {
        this.#connection = postgresConnection({ url, poolSize, statementTimeoutMs, log: this.#log });
      }
    }
    return this.#connection;
  }

  /** Creates the host's tables once; tells whether modules get roles of their own. */
  #ensureHostTables(): Promise<boolean> {
    this.#hostTables ??= (async () => {
      await createHostTables(this.#use());
      return mayCreateRoles(this.#use());
    })().catch((error: unknown) => {
      this.#hostTables = undefined;
      throw error;
    });
    return this.#hostTables;
  }
}
