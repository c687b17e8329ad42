import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobDeclaration, JobHandler, JobQueue, RestModule } from '@simple-rest/module-contract';
import type { FastifyBaseLogger } from 'fastify';
import { Counter, Gauge, Histogram, register } from 'prom-client';
import type { DatabaseService } from '../database/index.js';
import { dueFireTimes, type Schedule, scheduleOf } from './schedule.js';

/** The service's job settings (JOBS_*). */
export interface JobSettings {
  /** How long a claimed run is its instance's without a heartbeat: another takes it over after. */
  readonly leaseMs: number;
  /** How many fire times missed while no instance ran (an outage, a deploy) run when one comes back. */
  readonly catchUp: number;
}

/**
 * How often each instance looks for due fire times and runs to claim. With PostgreSQL, often:
 * any instance may add work. With the embedded database, this process is the only one, and a
 * claim costs it about 1 ms of its own CPU (PGlite runs in it: an idle service with the notes'
 * job spent 15 ms a second looking every 250 ms, docs/benchmarks.md), so it looks once a second,
 * and claims at once what it enqueues itself.
 */
const POLL_MS = { postgres: 250, embedded: 1000 } as const;
/** A fire time this far behind is missed, not late: past it, `catchUp` decides. */
const LATE_MS = 10_000;
/** Runs one instance takes on at once. */
const CONCURRENCY = 4;
/** Finished runs are kept this long, for inspection, then deleted. */
const KEEP_FINISHED_MS = 24 * 3600_000;
const DEFAULT_MAX_ATTEMPTS = 3;

interface DeclaredJob {
  readonly module: string;
  readonly name: string;
  readonly declaration: JobDeclaration;
  readonly schedule?: Schedule;
  readonly handler: JobHandler;
  readonly log: FastifyBaseLogger;
}

interface ClaimedRow {
  readonly id: string;
  readonly module: string;
  readonly job: string;
  readonly fire_time: Date | null;
  readonly payload: unknown;
  readonly attempts: number;
  readonly created_at: Date;
  readonly run_after: Date;
}

/** Retry back-off after a failure: 1 s, 2 s, 4 s, … up to a minute. */
const backOffMs = (attempt: number) => Math.min(60_000, 1000 * 2 ** (attempt - 1));

/**
 * The host's job service, on the host's database. A scheduled job's fire time is claimed once
 * for all instances (the schedule's row advances under a row lock; the run's row is unique by
 * module, job and fire time), and a run is held by one instance under a lease it renews: if that
 * instance dies, the lease lapses and another takes the run over. Failed runs retry with
 * back-off, then stay dead. With the embedded database the same service runs in its one process.
 */
export class JobService {
  readonly #database: DatabaseService;
  readonly #settings: JobSettings;
  readonly #log: FastifyBaseLogger;
  readonly #jobs = new Map<string, DeclaredJob>();
  /** When each scheduled job may next have a fire time due: until then a tick asks nothing of the database for it. */
  readonly #nextCheck = new Map<DeclaredJob, number>();
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  readonly #worker = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;
  #lastCleanup = 0;
  #metrics: ReturnType<typeof jobMetrics> | undefined;

  constructor(database: DatabaseService, settings: JobSettings, log: FastifyBaseLogger) {
    this.#database = database;
    this.#settings = settings;
    this.#log = log;
  }

  /** Checks a module's declared jobs against its handlers, and takes them on. */
  register(module: RestModule, handlers: Readonly<Record<string, JobHandler>> = {}, log: FastifyBaseLogger): void {
    const declared = module.jobs ?? {};
    for (const name of Object.keys(handlers)) {
      if (!(name in declared))
        throw new Error(`"${module.name}" has a handler for the job "${name}", which it does not declare`);
    }
    for (const [name, declaration] of Object.entries(declared)) {
      const handler = handlers[name];
      const where = `"${module.name}" job "${name}"`;
      if (handler === undefined) throw new Error(`${where} is declared, but create() returns no handler for it`);
      if (!Number.isInteger(declaration.timeoutMs) || declaration.timeoutMs < 1) {
        throw new Error(`${where} has timeoutMs ${declaration.timeoutMs}: expected an integer of 1 or more`);
      }
      const schedule = scheduleOf(declaration, where);
      this.#jobs.set(`${module.name}\u0000${name}`, {
        module: module.name,
        name,
        declaration,
        ...(schedule && { schedule }),
        handler,
        log: log.child({ job: name }),
      });
    }
  }

  /** What a module's create() gets as `context.jobs`. */
  queueFor(module: RestModule): JobQueue {
    return {
      enqueue: async (name, payload) => {
        if (!(name in (module.jobs ?? {}))) {
          throw new Error(`"${module.name}" enqueues the job "${name}", which it does not declare`);
        }
        await this.#database.host((db) =>
          db.query('INSERT INTO simple_rest.jobs (module, job, payload) VALUES ($1, $2, $3)', [
            module.name,
            name,
            JSON.stringify(payload ?? null),
          ]),
        );
        if (this.#timer !== undefined) void this.#tick();
      },
    };
  }

  /** Runs a declared job once, here and now, outside any schedule: the conformance kit's check, and an operator's. */
  async runNow(module: RestModule, name: string, payload?: unknown): Promise<void> {
    const job = this.#jobs.get(`${module.name}\u0000${name}`);
    if (job === undefined) throw new Error(`"${module.name}" has no job "${name}"`);
    const controller = new AbortController();
    const timeout = setTimeout(
      () => controller.abort(new Error(`no end within ${job.declaration.timeoutMs} ms`)),
      job.declaration.timeoutMs,
    );
    try {
      await job.handler({ name, payload, attempt: 1, signal: controller.signal, log: job.log });
    } finally {
      clearTimeout(timeout);
    }
  }

  /** How many jobs the mounted modules declare. */
  get size(): number {
    return this.#jobs.size;
  }

  /** Starts scheduling and running, in this process. Nothing to do without jobs. */
  start(): void {
    if (this.#jobs.size === 0 || this.#timer !== undefined) return;
    this.#metrics = jobMetrics();
    this.#timer = setInterval(() => void this.#tick(), POLL_MS[this.#database.embedded ? 'embedded' : 'postgres']);
    this.#timer.unref();
  }

  /**
   * Stops claiming; runs in flight get `budgetMs` to finish, then are aborted and released for
   * another instance (their attempt not counted).
   */
  async stop(budgetMs: number): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#running.size === 0) return;
    const finished = Promise.all([...this.#running.values()].map(({ done }) => done));
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), budgetMs);
      }),
    ]);
    clearTimeout(timer);
    if (!late) return;
    const ids = [...this.#running.keys()];
    for (const { controller } of this.#running.values()) controller.abort(new Error('the instance is shutting down'));
    await this.#database
      .host((db) =>
        db.query(
          `UPDATE simple_rest.jobs SET state = 'pending', locked_by = NULL, lease_until = NULL, attempts = attempts - 1
           WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND state = 'running'`,
          [ids, this.#worker],
        ),
      )
      .catch((error: unknown) => this.#log.warn({ reason: (error as Error).message }, 'releasing jobs failed'));
    this.#log.info({ jobs: ids.length }, 'jobs released at shutdown');
  }

  async #tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      await this.#schedule();
      while (this.#running.size < CONCURRENCY && this.#timer !== undefined) {
        const row = await this.#claim();
        if (row === undefined) break;
        this.#start(row);
      }
      if (Date.now() - this.#lastCleanup > 60_000) {
        this.#lastCleanup = Date.now();
        await this.#database.host((db) =>
          db.query(
            "DELETE FROM simple_rest.jobs WHERE state = 'done' AND finished_at < now() - make_interval(secs => $1)",
            [KEEP_FINISHED_MS / 1000],
          ),
        );
      }
    } catch (error) {
      this.#log.warn({ reason: (error as Error).message }, 'jobs: the database is unavailable, retrying');
    } finally {
      this.#ticking = false;
    }
  }

  /**
   * Enqueues each scheduled job's due fire times, once across all instances. A job is looked at
   * only once its next fire time has come (and at the first tick, for what was missed), so the
   * ticks between fire times cost no statement and no schedule arithmetic.
   */
  async #schedule(): Promise<void> {
    const now = new Date();
    for (const job of this.#jobs.values()) {
      const { schedule } = job;
      if (schedule === undefined || now.getTime() < (this.#nextCheck.get(job) ?? 0)) continue;
      const settled = await this.#database.host(async (db) => {
        const newest = schedule.previous(now);
        await db.query(
          'INSERT INTO simple_rest.job_schedules (module, job, last_fire_time) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [job.module, job.name, newest],
        );
        // The instance that holds the row advances it; the others skip it and look again next tick.
        const [row] = await db.query<{ last_fire_time: Date }>(
          'SELECT last_fire_time FROM simple_rest.job_schedules WHERE module = $1 AND job = $2 FOR UPDATE SKIP LOCKED',
          [job.module, job.name],
        );
        if (row === undefined) return false;
        if (newest <= row.last_fire_time) return true;
        const due = dueFireTimes(schedule, row.last_fire_time, now, {
          lateMs: LATE_MS,
          catchUp: this.#settings.catchUp,
        });
        await db.query('UPDATE simple_rest.job_schedules SET last_fire_time = $3 WHERE module = $1 AND job = $2', [
          job.module,
          job.name,
          newest,
        ]);
        if (due.length > 0) {
          await db.query(
            `INSERT INTO simple_rest.jobs (module, job, fire_time, run_after)
             SELECT $1, $2, fire, fire FROM unnest($3::timestamptz[]) AS fire ON CONFLICT DO NOTHING`,
            [job.module, job.name, due],
          );
        }
        return true;
      }, true);
      if (settled) this.#nextCheck.set(job, schedule.next(now).getTime());
    }
  }

  /** Claims one due run, or one whose holder's lease lapsed (it died): the row is this instance's until its lease does. */
  async #claim(): Promise<ClaimedRow | undefined> {
    const names = [...this.#jobs.values()];
    const [row] = await this.#database.host((db) =>
      db.query<ClaimedRow>(
        `UPDATE simple_rest.jobs SET state = 'running', attempts = attempts + 1, locked_by = $1,
           lease_until = now() + make_interval(secs => $2)
         WHERE id = (
           SELECT id FROM simple_rest.jobs
           WHERE ((state = 'pending' AND run_after <= now()) OR (state = 'running' AND lease_until < now()))
             AND (module, job) IN (SELECT * FROM unnest($3::text[], $4::text[]))
           ORDER BY run_after LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING id, module, job, fire_time, payload, attempts, created_at, run_after`,
        [this.#worker, this.#settings.leaseMs / 1000, names.map((job) => job.module), names.map((job) => job.name)],
      ),
    );
    return row;
  }

  #start(row: ClaimedRow): void {
    const controller = new AbortController();
    const done = this.#run(row, controller).finally(() => this.#running.delete(row.id));
    this.#running.set(row.id, { controller, done });
  }

  async #run(row: ClaimedRow, controller: AbortController): Promise<void> {
    const job = this.#jobs.get(`${row.module}\u0000${row.job}`);
    if (job === undefined) return;
    const labels = { module: row.module, job: row.job };
    const maxAttempts = job.declaration.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const log = job.log.child({
      run: row.id,
      attempt: row.attempts,
      ...(row.fire_time && { fireTime: row.fire_time }),
    });
    if (row.attempts > maxAttempts) {
      // Its holders died each time (the run kills its process?): leave it dead rather than loop.
      await this.#finish(row, 'dead', 'its instance stopped during every attempt');
      log.error('job dead: its instance stopped during every attempt');
      this.#metrics?.runs.inc({ ...labels, outcome: 'dead' });
      return;
    }
    const started = Date.now();
    this.#metrics?.lag.set(labels, (started - row.run_after.getTime()) / 1000);
    const heartbeat = setInterval(() => void this.#renew(row, controller, log), this.#settings.leaseMs / 3);
    const timeout = setTimeout(
      () => controller.abort(new Error(`no end within ${job.declaration.timeoutMs} ms`)),
      job.declaration.timeoutMs,
    );
    let failure: unknown;
    try {
      await Promise.race([
        job.handler({
          name: row.job,
          ...(row.fire_time && { fireTime: row.fire_time }),
          payload: row.payload ?? undefined,
          attempt: row.attempts,
          signal: controller.signal,
          log,
        }),
        new Promise((_, reject) =>
          controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
        ),
      ]);
    } catch (error) {
      failure = error;
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timeout);
    }
    const seconds = (Date.now() - started) / 1000;
    this.#metrics?.duration.observe(labels, seconds);
    if (controller.signal.aborted && this.#timer === undefined) return; // released by stop()
    const reason = failure instanceof Error ? failure.message : failure === undefined ? undefined : String(failure);
    if (reason === undefined) {
      await this.#finish(row, 'done');
      log.info({ durationMs: Math.round(seconds * 1000) }, 'job done');
      this.#metrics?.runs.inc({ ...labels, outcome: 'done' });
    } else if (row.attempts >= maxAttempts) {
      await this.#finish(row, 'dead', reason);
      log.error({ durationMs: Math.round(seconds * 1000), reason }, 'job failed for the last time: dead');
      this.#metrics?.runs.inc({ ...labels, outcome: 'dead' });
    } else {
      await this.#retry(row, reason);
      log.warn({ durationMs: Math.round(seconds * 1000), reason, retryInMs: backOffMs(row.attempts) }, 'job failed');
      this.#metrics?.runs.inc({ ...labels, outcome: 'failed' });
    }
  }

  /** Extends the lease; a lease lost (taken over after a long pause) aborts this run. */
  async #renew(row: ClaimedRow, controller: AbortController, log: FastifyBaseLogger): Promise<void> {
    try {
      const renewed = await this.#database.host((db) =>
        db.query(
          `UPDATE simple_rest.jobs SET lease_until = now() + make_interval(secs => $3)
           WHERE id = $1 AND locked_by = $2 AND state = 'running' RETURNING id`,
          [row.id, this.#worker, this.#settings.leaseMs / 1000],
        ),
      );
      if (renewed.length === 0) {
        log.warn('job lease lost to another instance: aborting this run');
        controller.abort(new Error('the lease was lost'));
      }
    } catch (error) {
      log.warn({ reason: (error as Error).message }, 'job heartbeat failed');
    }
  }

  #finish(row: ClaimedRow, state: 'done' | 'dead', reason?: string): Promise<unknown> {
    return this.#database
      .host((db) =>
        db.query(
          `UPDATE simple_rest.jobs SET state = $3, finished_at = now(), last_error = $4, locked_by = NULL, lease_until = NULL
           WHERE id = $1 AND locked_by = $2`,
          [row.id, this.#worker, state, reason ?? null],
        ),
      )
      .catch((error: unknown) => this.#log.warn({ reason: (error as Error).message }, 'recording a job run failed'));
  }

  #retry(row: ClaimedRow, reason: string): Promise<unknown> {
    return this.#database
      .host((db) =>
        db.query(
          `UPDATE simple_rest.jobs SET state = 'pending', last_error = $3, locked_by = NULL, lease_until = NULL,
             run_after = now() + make_interval(secs => $4)
           WHERE id = $1 AND locked_by = $2`,
          [row.id, this.#worker, reason, backOffMs(row.attempts) / 1000],
        ),
      )
      .catch((error: unknown) => this.#log.warn({ reason: (error as Error).message }, 'recording a job run failed'));
  }
}

/** Metrics per job, with the module label: runs by outcome, duration, and lag behind the fire time. */
function jobMetrics() {
  const labelNames = ['module', 'job'] as const;
  const existing = (name: string) => register.getSingleMetric(name);
  return {
    runs: (existing('job_runs_total') ??
      new Counter({
        name: 'job_runs_total',
        help: 'job runs by outcome: done, failed (to be retried) or dead',
        labelNames: [...labelNames, 'outcome'],
      })) as Counter<'module' | 'job' | 'outcome'>,
    duration: (existing('job_duration_seconds') ??
      new Histogram({ name: 'job_duration_seconds', help: 'how long a job run took', labelNames })) as Histogram<
      'module' | 'job'
    >,
    lag: (existing('job_lag_seconds') ??
      new Gauge({
        name: 'job_lag_seconds',
        help: 'how long the last run started after it was due',
        labelNames,
      })) as Gauge<'module' | 'job'>,
  };
}
