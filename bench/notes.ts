// The notes module under load: GET and PUT /notes/{id}/ through the service's bundle, beside a
// bare node:http server making the same database calls (the ceiling), on a real PostgreSQL
// (started here, when installed) and on the embedded one, and `--compare` bundles beside them.
// Every server runs for the whole series; they take turns under load in slices, and each slice
// gives the server's CPU per request (bench/cpu.ts) beside its req/s. Figures are medians.

import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, startPostgres, waitFor } from '@simple-rest/testing';
import pg from 'pg';
import { startLocalIssuer } from '../scripts/local-issuer.js';
import { cpuPerRequest } from './cpu.js';
import { start, stop } from './processes.js';
import { type BenchServer, SERVICE_BUNDLE, serviceCommand } from './servers.js';
import { type Load, median, rotated, runWrk } from './wrk.js';

export interface NotesResult {
  /** The server and its database. */
  readonly name: string;
  readonly database: string;
  readonly operation: 'GET' | 'PUT';
  /** The ceiling of the same database and operation, measured in the same run. */
  readonly ceiling: boolean;
  /** The server's CPU time (its utime+stime) per answer, in µs: the median of its slices. */
  readonly cpuUsPerRequest: number;
  /** The same, slice by slice, in the order they ran. */
  readonly cpuUsPerSlice: readonly number[];
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export interface NotesBenchOptions {
  readonly rounds: number;
  readonly durationS: number;
  readonly connections: number;
  readonly pinned: boolean;
  /** One short round, nothing but a check that every server answers. */
  readonly smoke: boolean;
  /** Folders of earlier bundles measured beside this one. */
  readonly compare: readonly string[];
}

const OPERATIONS = [
  ['GET', 'bench/notes-get.lua'],
  ['PUT', 'bench/notes-put.lua'],
] as const;

/** Writes the 100 notes the GET script reads, waiting (up to 30 s: the embedded database opens slowly) for the server. */
async function seed(server: NotesServer, port: number): Promise<void> {
  const [name = '', value = ''] = server.header?.split(': ', 2) ?? [];
  for (let id = 1; id <= 100; id++) {
    await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/notes/bench-${id}/`, {
          method: 'PUT',
          body: '{"text":"Buy milk, eggs and bread"}',
          headers: { 'content-type': 'application/json', ...(server.header && { [name]: value }) },
        });
        return res.status === 200 || res.status === 201;
      },
      { what: `${server.name} takes note bench-${id}`, timeoutMs: 30_000 },
    );
  }
}

type NotesServer = BenchServer & {
  readonly database: string;
  readonly ceiling: boolean;
  /** A header every request carries: the bearer token, where the servers check one. */
  readonly header?: string;
};

/** Where the servers check tokens: the issuer's settings, and the header that carries a token. */
interface TokenCheck {
  readonly env: Record<string, string>;
  readonly header: string;
}

/**
 * The ceiling, the service and each `--compare` bundle on one database, each with its own (a
 * database apart on PostgreSQL: `env(name)` gives its settings). With `tokens`, every server
 * checks the token each request carries (the ceiling with jose, the service as configured).
 */
function group(
  database: string,
  compare: readonly string[],
  env: (name: string) => Record<string, string>,
  tokens?: TokenCheck,
): NotesServer[] {
  const service = (name: string, command: readonly string[], databaseEnv: Record<string, string>): NotesServer => ({
    name: `${name}, ACCESS_LOG=off, ${database}`,
    database,
    ceiling: false,
    command,
    // Without tokens unless the ceiling checks them too: this measures the module and its
    // database. The one module gets the whole pool of 10, as the ceiling and the notes' own pool before had.
    env: {
      MODULES: '@simple-rest/notes',
      ACCESS_LOG: 'off',
      ...(tokens ? tokens.env : { AUTH_DISABLED: 'true' }),
      DATABASE_MODULE_CONNECTIONS: '10',
      ...databaseEnv,
    },
    ...(tokens && { header: tokens.header }),
  });
  return [
    {
      name: `node:http + same SQL (ceiling), ${database}`,
      database,
      ceiling: true,
      command: [process.execPath, 'bench/servers/node-http-notes.mjs'],
      env: { ...env('ceiling'), ...tokens?.env },
      ...(tokens && { header: tokens.header }),
    },
    service('simple-rest notes', serviceCommand(SERVICE_BUNDLE), env('service')),
    ...compare.map((folder, index) => {
      // Bundles before the host's database service read the notes' own NOTES_DATABASE_URL.
      const { DATABASE_URL, ...rest } = env(`compare${index}`);
      const databaseEnv = DATABASE_URL ? { ...rest, DATABASE_URL, NOTES_DATABASE_URL: DATABASE_URL } : rest;
      return service(`simple-rest notes at ${folder}`, serviceCommand(join(folder, 'dist/main.mjs')), databaseEnv);
    }),
  ];
}

/**
 * The servers on each database: the embedded one, and where PostgreSQL is installed, PostgreSQL,
 * then PostgreSQL with a token on every request, verified by each server with a local issuer's
 * keys (scripts/local-issuer.ts), beside a ceiling that verifies it with jose.
 */
async function notesServers(compare: readonly string[]): Promise<{ servers: NotesServer[]; close(): Promise<void> }> {
  const embedded = group('embedded (PGlite)', compare, () => ({}));
  const postgres = await startPostgres();
  if (postgres === undefined) {
    console.log('bench notes: PostgreSQL is not installed (apt-get install postgresql): the embedded database only');
    return { servers: embedded, close: async () => undefined };
  }
  const admin = new pg.Client(postgres.url);
  await admin.connect();
  for (const name of ['ceiling', 'service', 'token_ceiling', 'token_service', ...compare.map((_, i) => `compare${i}`)])
    await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = (name: string) => ({ DATABASE_URL: postgres.url.replace(/\/postgres$/, `/${name}`) });
  const issuer = await startLocalIssuer({ scopes: ['notes:read', 'notes:write'] });
  const tokens: TokenCheck = {
    env: { AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: issuer.audience },
    header: `Authorization: Bearer ${await issuer.token(['notes:read', 'notes:write'])}`,
  };
  return {
    servers: [
      ...group('PostgreSQL', compare, url),
      ...group('PostgreSQL, a token on each request', [], (name) => url(`token_${name}`), tokens),
      ...embedded,
    ],
    close: async () => {
      await issuer.close();
      postgres.remove();
    },
  };
}

export async function benchNotes(options: NotesBenchOptions): Promise<NotesResult[]> {
  const { servers, close } = await notesServers(options.compare);
  const running: { server: NotesServer; port: number; child: ChildProcess }[] = [];
  const loads = new Map<string, (Load & { cpuUsPerRequest: number })[]>();
  try {
    for (const server of servers) {
      const port = await freePort();
      running.push({ server, port, child: start(server, port, { pinned: options.pinned }) });
      await seed(server, port);
    }
    const { connections, pinned } = options;
    for (let slice = -1; slice < options.rounds; slice++) {
      if (slice < 0 && options.smoke) continue; // slice -1 warms every server up, and is not counted
      for (const [operation, script] of OPERATIONS) {
        for (const { server, port, child } of rotated(running, Math.max(slice, 0))) {
          const wrk = { connections, script, pinned, ...(server.header && { header: server.header }) };
          const load = await cpuPerRequest(child.pid ?? 0, () => runWrk(port, slice < 0 ? 1 : options.durationS, wrk));
          if (slice < 0) continue;
          const key = `${server.name}|${operation}`;
          loads.set(key, [...(loads.get(key) ?? []), load]);
          console.log(
            `slice ${slice + 1}  ${`${server.name} ${operation}`.padEnd(72)} ${load.cpuUsPerRequest.toFixed(1).padStart(6)} µs CPU/request  ${load.requestsPerSecond.toFixed(0).padStart(7)} req/s  p99 ${load.p99Ms.toFixed(2)} ms`,
          );
        }
      }
    }
  } finally {
    await Promise.all(running.map(({ child }) => stop(child)));
    await close();
  }
  return servers.flatMap((server) =>
    OPERATIONS.map(([operation]) => {
      const measured = loads.get(`${server.name}|${operation}`) ?? [];
      return {
        name: server.name,
        database: server.database,
        operation,
        ceiling: server.ceiling,
        cpuUsPerRequest: median(measured.map((load) => load.cpuUsPerRequest)),
        cpuUsPerSlice: measured.map((load) => load.cpuUsPerRequest),
        requestsPerSecond: median(measured.map((load) => load.requestsPerSecond)),
        p99Ms: median(measured.map((load) => load.p99Ms)),
        errors: measured.reduce((sum, load) => sum + load.errors, 0),
      };
    }),
  );
}

/**
 * Each result with its ratios to the ceiling of the same database and operation. The CPU ratio is
 * the median of the ratios slice by slice: a server and its ceiling ran seconds apart in each, so
 * a slow moment of the machine weighs on both rather than on one median.
 */
export function notesRatios(results: readonly NotesResult[]) {
  return results.map((result) => {
    const ceiling = results.find(
      (other) => other.ceiling && other.database === result.database && other.operation === result.operation,
    );
    const sliceRatios = result.cpuUsPerSlice.map((cpu, slice) => cpu / (ceiling?.cpuUsPerSlice[slice] ?? Number.NaN));
    return {
      ...result,
      cpuRatio: ceiling ? median(sliceRatios) : Number.NaN,
      throughputRatio: ceiling ? result.requestsPerSecond / ceiling.requestsPerSecond : Number.NaN,
      p99Ratio: ceiling ? result.p99Ms / ceiling.p99Ms : Number.NaN,
    };
  });
}

/** Each result's medians and its ratios to its ceiling, one line each. */
export function printNotes(results: ReturnType<typeof notesRatios>): void {
  for (const result of results) {
    console.log(
      `${`${result.name} ${result.operation}`.padEnd(72)} ${result.cpuUsPerRequest.toFixed(1).padStart(6)} µs CPU/request (${result.cpuRatio.toFixed(2)}×)  ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s (${result.throughputRatio.toFixed(2)}×)  p99 ${result.p99Ms.toFixed(2)} ms (${result.p99Ratio.toFixed(2)}×)  errors ${result.errors}`,
    );
  }
}
