import { readFileSync } from 'node:fs';
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';

// The OpenAPI fields a module's route schemas may carry, typed as @fastify/swagger types
// them, so a module documents its routes without depending on the host's docs plugin.
declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: readonly string[];
    /** The media types a route's body may have; `application/json` when omitted. Others get 415. */
    consumes?: readonly string[];
    /**
     * The operation's name in the API document, such as `listBookings`: the host prefixes the
     * module's namespace (`bookings.listBookings`). Unset, it is made from the method and path
     * (`bookings.getById`).
     */
    operationId?: string;
  }
  interface FastifyContextConfig {
    /**
     * The OAuth 2.0 scopes a caller's bearer token must hold for this route, such as
     * `['notes:write']`; none, and the route is public. The host checks the token.
     */
    scopes?: readonly string[];
  }
  interface FastifyRequest {
    /** Who called a route that declares scopes, once the host has verified their token. */
    auth?: Caller;
  }
}

/** The caller of a protected route, from their verified access token. */
export interface Caller {
  /** The token's `sub`: a user, or a client acting for itself. */
  readonly subject: string;
  /** Every scope the token grants (`scope`, space-separated, or `scp`). */
  readonly scopes: readonly string[];
  /** The token's claims, verified. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * This package's version, which a host compares with each module's peerDependencies range on
 * it. A constant rather than a read of package.json, which a bundled host no longer has; a test
 * keeps the two equal.
 */
export const CONTRACT_VERSION = '0.2.0';

/**
 * What a module may use only from contract 0.2.0 on: a host of 0.1 would mount such a module and
 * ignore these. A module that uses one declares `^0.2.0`; one that uses none may still say `^0.1.0`.
 */
export const SINCE_0_2 = ['create', 'settings', 'database', 'jobs'] as const;

/** A URL path prefix: one or more `/segment`s, no trailing slash. */
export type Prefix = `/${string}`;

const PREFIX = /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/;

/** True for `/segment[/segment…]` of unreserved characters, with no `.` or `..` segment and no trailing slash. */
export function isPrefix(value: string): value is Prefix {
  return PREFIX.test(value);
}

/** What a module's routes, readiness and clean-up are: one set per app that mounts it. */
export interface ModuleInstance {
  /** The module's routes, relative to whatever prefix the host chooses. */
  readonly routes: FastifyPluginAsync;
  /**
   * Whether the module can serve: resolves when it can, throws when it cannot (say, its
   * database is unreachable). `/readyz` asks it, with a time limit, and answers 503 while it
   * fails, so the instance leaves the load balancer's rotation.
   */
  readonly ready?: () => Promise<void> | void;
  /** Releases what this instance holds; called once, after the app's last request is answered. */
  readonly close?: () => Promise<void> | void;
  /** What each job the module declares (`jobs`) does, by the job's name. */
  readonly jobHandlers?: Readonly<Record<string, JobHandler>>;
}

/**
 * The module's own schema in the host's database, for a module that declares `database`. Every
 * query runs with `search_path` set to the schema (and, where the host may create roles, as the
 * module's own role), on a connection from the host's pool, at most the module's share at once.
 * A database out of reach throws an error the host answers 503; a text with a NUL byte, 400.
 */
export interface ModuleDatabase {
  /** The schema's name: the module's unscoped package name, or what its `database.schema` says. */
  readonly schema: string;
  /** One statement with `$1`-style parameters; resolves to its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Pick<ModuleDatabase, 'query'>) => Promise<T>): Promise<T>;
}

/** What the module gets to enqueue its declared jobs as one-off work. */
export interface JobQueue {
  /** Queues one run of the job `name` (declared in `jobs`), run once by some instance, with retries. */
  enqueue(name: string, payload?: unknown): Promise<void>;
}

/** One run of a job, as its handler receives it. */
export interface JobRun {
  readonly name: string;
  /** The schedule's fire time this run is for; absent for an enqueued run. */
  readonly fireTime?: Date;
  /** What enqueue() was given; undefined for a scheduled run. */
  readonly payload: unknown;
  /** 1 on the first try, then 2, 3, … after failures or a takeover. */
  readonly attempt: number;
  /** Aborted at the job's time-out, at shutdown, or when this instance lost the job's lease. */
  readonly signal: AbortSignal;
  /** The host's logger, its lines marked with the module and the job. */
  readonly log: FastifyBaseLogger;
}

export type JobHandler = (run: JobRun) => Promise<void>;

/**
 * A job the host runs for the module: on a schedule (`every` or `cron`), or when enqueued (neither).
 * A scheduled job runs once per fire time across every worker and replica.
 */
export interface JobDeclaration {
  /** An interval in milliseconds (1000 or more); fire times are its multiples since the epoch, the same in every instance. */
  readonly every?: number;
  /** A cron expression, with an optional seconds field first (`0 3 * * *`: every day at 03:00 UTC). */
  readonly cron?: string;
  /** A run still going after this is aborted and counted as failed. */
  readonly timeoutMs: number;
  /** Tries before the run is left dead; 3 when omitted. */
  readonly maxAttempts?: number;
}

/** A module's claim on the host's database: its migrations, and optionally its schema's name. */
export interface DatabaseDeclaration {
  /**
   * A folder of forward-only SQL migrations, `NNN_what.sql` (`001_create_notes.sql`), run in
   * order once, in the module's schema: `new URL('../migrations/', import.meta.url)`. A file that
   * already ran must never change (the start stops, naming it); add the next one instead.
   */
  readonly migrations: URL;
  /** The schema's name; the unscoped package name (`@acme/room-bookings` → `room_bookings`) when omitted. */
  readonly schema?: string;
}

/** What the host gives a module's create() each time an app mounts it. */
export interface ModuleContext<Settings = Readonly<Record<string, SettingValue>>> {
  /** The module's declared settings, read from the environment and validated by the host. */
  readonly settings: Settings;
  /** The host's logger, its lines marked with `"module": <package name>`. */
  readonly log: FastifyBaseLogger;
  /** The module's schema in the host's database, when the module declares `database`. */
  readonly database?: ModuleDatabase;
  /** Enqueues the module's declared jobs, when it declares `jobs`. */
  readonly jobs?: JobQueue;
}

/**
 * What a simple-rest module gives the service that mounts it. The host owns cross-cutting
 * behaviour (trailing-slash redirects, 405 and 415, problem JSON errors, body limits, CORS,
 * content negotiation of text), so a module declares routes and what they take and answer.
 *
 * A module either has `routes` (and optionally `ready` and `close`), shared by every app that
 * mounts it, or `create`, which makes a fresh set for each app from a context: its settings and
 * a logger. The first fits modules that hold nothing; the second, modules that hold something.
 */
export interface RestModule {
  /** The npm package name, as in the module's package.json. */
  readonly name: string;
  /** The package version, as in the module's package.json. */
  readonly version: string;
  /** Where the module is mounted when configuration names no prefix. */
  readonly defaultPrefix: Prefix;
  /** How the module appears in the host's OpenAPI document. */
  readonly openapi: { readonly tag: string; readonly description: string };
  /** The environment variables the module reads, which the host validates at start-up. */
  readonly settings?: SettingsSpec;
  /** A schema of its own in the host's database, with migrations the host runs ([docs/modules.md]). */
  readonly database?: DatabaseDeclaration;
  /** Jobs the host runs, by name; their handlers are the instance's `jobHandlers`. */
  readonly jobs?: Readonly<Record<string, JobDeclaration>>;
  /** Makes the module's routes, readiness and clean-up for one app; must not do I/O (the build calls it). */
  readonly create?: (context: ModuleContext) => ModuleInstance | Promise<ModuleInstance>;
  /** Routes shared by every app, for a module without `create`. */
  readonly routes?: FastifyPluginAsync;
  readonly ready?: ModuleInstance['ready'];
  readonly close?: ModuleInstance['close'];
}

/** A setting's value as the module receives it. */
export type SettingValue = string | number | boolean | undefined;

interface SettingBase {
  /** What the setting means, for the settings table (`npm run settings`). */
  readonly description: string;
  /** Never written to a log line, an error or an answer (a password, a URL with credentials). */
  readonly secret?: boolean;
  /** Unset is an error; without it and without a default, an unset setting is `undefined`. */
  readonly required?: boolean;
  /** What a start-up error says is allowed, where the type and bounds do not say it well ("an integer of milliseconds"). */
  readonly allowed?: string;
}

/** One environment variable a module reads: its type, default and bounds, as JSON Schema says them. */
export type Setting =
  | (SettingBase & {
      readonly type: 'string';
      readonly default?: string;
      readonly enum?: readonly string[];
      readonly minLength?: number;
      readonly maxLength?: number;
      /** A regular expression the value must match; say in `allowed` what it means. */
      readonly pattern?: string;
    })
  | (SettingBase & {
      readonly type: 'integer' | 'number';
      readonly default?: number;
      readonly minimum?: number;
      readonly maximum?: number;
    })
  | (SettingBase & { readonly type: 'boolean'; readonly default?: boolean });

/** Settings by environment variable name: `{ NOTES_MAX_ITEMS: { type: 'integer', … } }`. */
export type SettingsSpec = Readonly<Record<string, Setting>>;

type ValueOfSetting<S extends Setting> = S extends { readonly type: 'boolean' }
  ? boolean
  : S extends { readonly type: 'integer' | 'number' }
    ? number
    : S extends { readonly enum: readonly (infer Value)[] }
      ? Value
      : string;

/** The parsed settings a module receives, typed from its spec: a setting with no default and not required may be undefined. */
export type SettingsOf<Spec extends SettingsSpec> = {
  readonly [Name in keyof Spec]: Spec[Name] extends { readonly default: unknown } | { readonly required: true }
    ? ValueOfSetting<Spec[Name]>
    : ValueOfSetting<Spec[Name]> | undefined;
};

interface DefinitionBase<Spec extends SettingsSpec> {
  /** `new URL('../package.json', import.meta.url)` from the module's entry point. */
  readonly packageJson: URL;
  readonly defaultPrefix: Prefix;
  readonly openapi: RestModule['openapi'];
  readonly settings?: Spec;
  readonly database?: DatabaseDeclaration;
  readonly jobs?: RestModule['jobs'];
}

/** A module that holds nothing: the same routes for every app. */
export interface StaticModuleDefinition extends DefinitionBase<SettingsSpec>, ModuleInstance {}

/** A module that holds something: create() makes its routes, readiness and clean-up per app. */
export interface CreatedModuleDefinition<Spec extends SettingsSpec> extends DefinitionBase<Spec> {
  readonly create: (context: ModuleContext<SettingsOf<Spec>>) => ModuleInstance | Promise<ModuleInstance>;
}

/** @deprecated Kept for modules written before create(): use StaticModuleDefinition. */
export type ModuleDefinition = StaticModuleDefinition;

/** What a package says of itself in its package.json: name and version, checked to be strings. */
export interface PackageIdentity {
  readonly name: string;
  readonly version: string;
  readonly license?: string;
  readonly homepage?: string;
}

/** Reads a package's package.json; throws unless it has a string name and version. */
export function readPackageIdentity(packageJson: URL): PackageIdentity {
  const manifest: unknown = JSON.parse(readFileSync(packageJson, 'utf8'));
  if (!isRecord(manifest) || typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
    throw new TypeError(`${packageJson.href} has no string "name" and "version"`);
  }
  const { name, version, license, homepage } = manifest;
  return {
    name,
    version,
    ...(typeof license === 'string' && { license }),
    ...(typeof homepage === 'string' && { homepage }),
  };
}

/** Builds a module whose name and version come from its own package.json, so they cannot drift. */
export function defineModule<const Spec extends SettingsSpec = Record<never, Setting>>(
  definition: StaticModuleDefinition | CreatedModuleDefinition<Spec>,
): RestModule {
  const { packageJson, openapi, ...rest } = definition;
  const { name, version } = readPackageIdentity(packageJson);
  return Object.freeze({ ...rest, name, version, openapi: Object.freeze({ ...openapi }) }) as RestModule;
}

/** True when a package's default export fulfils the contract; the host checks this before mounting. */
export function isRestModule(value: unknown): value is RestModule {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    typeof value.version === 'string' &&
    typeof value.defaultPrefix === 'string' &&
    isPrefix(value.defaultPrefix) &&
    // Either routes shared by every app, or create() to make them per app: never both.
    (typeof value.routes === 'function') !== (typeof value.create === 'function') &&
    (value.routes === undefined || typeof value.routes === 'function') &&
    (value.create === undefined || typeof value.create === 'function') &&
    (value.ready === undefined || typeof value.ready === 'function') &&
    (value.close === undefined || typeof value.close === 'function') &&
    (value.settings === undefined || isRecord(value.settings)) &&
    (value.database === undefined || (isRecord(value.database) && value.database.migrations instanceof URL)) &&
    (value.jobs === undefined || isRecord(value.jobs)) &&
    isRecord(value.openapi) &&
    typeof value.openapi.tag === 'string' &&
    typeof value.openapi.description === 'string'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Response schema of a route answering plain text. The host serves the same text as
 * `{"message": …}` to clients that prefer JSON, so both representations are documented.
 */
export function textResponses(description: string) {
  return {
    200: {
      description,
      content: {
        'text/plain': { schema: { type: 'string' } },
        'application/json': {
          schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
        },
      },
    },
  } as const;
}

/** The shared schema of the host's RFC 9457 problem documents, by its `$id`. */
export const PROBLEM_SCHEMA_REF = 'Problem#';

/**
 * A problem answer a route documents, such as `404: problemResponse('No item has this id')`:
 * an `application/problem+json` body of the host's `Problem` schema, which the host's errors
 * (`throw` an error with that `statusCode`, e.g. from `@fastify/error`) always send.
 */
export function problemResponse(description: string) {
  return {
    description,
    content: { 'application/problem+json': { schema: { $ref: PROBLEM_SCHEMA_REF } } },
  } as const;
}

/**
 * A JSON answer a route documents, such as `200: jsonResponse('The item', itemSchema)`. The host
 * serializes what the handler returns with the schema (unknown properties are dropped), and
 * answers JSON whatever the request's `Accept` says.
 */
export function jsonResponse<const Schema extends object>(description: string, schema: Schema) {
  return { description, content: { 'application/json': { schema } } } as const;
}

/** An answer with no body, such as `204: emptyResponse('Deleted')`. */
export function emptyResponse(description: string) {
  return { description, type: 'null' } as const;
}
