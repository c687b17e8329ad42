import type { ModuleContext, ModuleInstance, RestModule } from '@simple-rest/module-contract';
import type { FastifyBaseLogger } from 'fastify';
import { ConfigError } from '../config/environment.js';
import { DatabaseService, type DatabaseSettings, isUnavailable, type ModuleSchemaHandle } from './database/index.js';
import { MigrationError, type MigrationState } from './database/migrations.js';
import { JobService, type JobSettings } from './jobs/index.js';

export interface PlatformSettings {
  readonly database: DatabaseSettings;
  readonly jobs: JobSettings;
}

/** What /version says of a module's schema: its name, and the last migration the code and the database know. */
export interface SchemaVersion {
  readonly schema: string;
  readonly migrations?: { readonly code: number; readonly database: number };
}

/**
 * The services the host gives modules: a schema in its database (`database`) and jobs run once
 * across instances (`jobs`). Made with the app and idle until asked: a service whose modules
 * declare neither opens nothing and starts no timer.
 */
export class Platform {
  readonly database: DatabaseService;
  readonly jobs: JobService;
  readonly #schemas = new Map<RestModule, ModuleSchemaHandle>();

  constructor(settings: PlatformSettings, log: FastifyBaseLogger) {
    this.database = new DatabaseService(settings.database, log);
    this.jobs = new JobService(this.database, settings.jobs, log);
  }

  /** The platform's part of a module's create() context. */
  contextFor(module: RestModule, log: FastifyBaseLogger): Partial<Pick<ModuleContext, 'database' | 'jobs'>> {
    let schema = this.#schemas.get(module);
    if (module.database !== undefined && schema === undefined) {
      schema = this.database.forModule(module, log);
      this.#schemas.set(module, schema);
    }
    return {
      ...(schema && { database: schema.database }),
      ...(module.jobs !== undefined && { jobs: this.jobs.queueFor(module) }),
    };
  }

  /** Takes on the job handlers an instance returns; throws when they do not match the declared jobs. */
  attach(module: RestModule, instance: ModuleInstance, log: FastifyBaseLogger): void {
    if (module.jobs !== undefined || instance.jobHandlers !== undefined) {
      this.jobs.register(module, instance.jobHandlers, log);
    }
  }

  /** The host's readiness check of a module's schema; undefined for a module without one. */
  readinessOf(module: RestModule): (() => Promise<void>) | undefined {
    return this.#schemas.get(module)?.ready;
  }

  /** Migrates one module's schema now; throws whatever stops it (npm run migrate). */
  migrate(module: RestModule): Promise<MigrationState> {
    const schema = this.#schemas.get(module);
    if (schema === undefined) throw new Error(`"${module.name}" declares no database`);
    return schema.migrate();
  }

  versionOf(module: RestModule): SchemaVersion | undefined {
    return this.#schemas.get(module)?.state;
  }

  /**
   * Migrates every module's schema before the service listens. A migration history that cannot
   * be applied (an edited file) or a refused embedded folder stops the start; a database out of
   * reach does not: the module is unready and migrates when it comes back.
   */
  async prepare(log: FastifyBaseLogger): Promise<void> {
    // Jobs keep their state in the host's tables: a service with jobs and no database it can open
    // (the image without DATABASE_URL) stops here, not in a warning every poll.
    if (this.jobs.size > 0)
      await this.#unlessUnavailable(log, 'the jobs', () => this.database.host(async () => undefined));
    for (const [module, schema] of this.#schemas) {
      await this.#unlessUnavailable(log, module.name, () => schema.prepare());
    }
  }

  /** Runs `work`; an outage is logged and waited out, anything else stops the start. */
  async #unlessUnavailable(log: FastifyBaseLogger, who: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (error instanceof MigrationError || error instanceof ConfigError || !isUnavailable(error)) throw error;
      log.warn({ module: who, reason: (error as Error).message }, 'the database is unavailable: waiting for it');
    }
  }
}
