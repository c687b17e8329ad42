// The notes module under load: GET and PUT /notes/{id}/ through the service's bundle, beside a
// bare node:http server making the same database calls (the ceiling), on a real PostgreSQL
// (started here, when installed) and on the embedded one. Interleaved rounds, medians.

import { freePort, startPostgres, waitFor } from '@simple-rest/testing';
import pg from 'pg';
import { start, stop } from './processes.js';
import { type BenchServer, SERVICE_BUNDLE } from './servers.js';
import { type Load, median, rotated, runWrk } from './wrk.js';

export interface NotesResult {
  /** The server and its database. */
  readonly name: string;
  readonly database: string;
  readonly operation: 'GET' | 'PUT';
  /** The ceiling of the same database and operation, measured in the same run. */
  readonly ceiling: boolean;
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
}

const OPERATIONS = [
  ['GET', 'bench/notes-get.lua'],
  ['PUT', 'bench/notes-put.lua'],
] as const;

/** Writes the 100 notes the GET script reads, waiting (up to 30 s: the embedded database opens slowly) for the server. */
async function seed(server: BenchServer, port: number): Promise<void> {
  for (let id = 1; id <= 100; id++) {
    await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/notes/bench-${id}/`, {
          method: 'PUT',
          body: '{"text":"Buy milk, eggs and bread"}',
          headers: { 'content-type': 'application/json' },
        });
        return res.status === 200 || res.status === 201;
      },
      { what: `${server.name} takes note bench-${id}`, timeoutMs: 30_000 },
    );
  }
}

type NotesServer = BenchServer & { readonly database: string; readonly ceiling: boolean };

/** The ceiling and the service on one database, each with its own (a database apart on PostgreSQL). */
function pair(database: string, ceilingEnv: Record<string, string>, serviceEnv: Record<string, string>): NotesServer[] {
  return [
    {
      name: `node:http + same SQL (ceiling), ${database}`,
      database,
      ceiling: true,
      command: [process.execPath, 'bench/servers/node-http-notes.mjs'],
      env: ceilingEnv,
    },
    {
      name: `simple-rest notes, ACCESS_LOG=off, ${database}`,
      database,
      ceiling: false,
      command: [process.execPath, SERVICE_BUNDLE],
      // Without tokens, as the ceiling has none: this measures the module and its database.
      env: { MODULES: '@simple-rest/notes', ACCESS_LOG: 'off', AUTH_DISABLED: 'true', ...serviceEnv },
    },
  ];
}

async function notesServers(): Promise<{ servers: NotesServer[]; close(): void }> {
  const embedded = pair('embedded (PGlite)', {}, {});
  const postgres = await startPostgres();
  if (postgres === undefined) {
    console.log('bench notes: PostgreSQL is not installed (apt-get install postgresql): the embedded database only');
    return { servers: embedded, close: () => undefined };
  }
  const admin = new pg.Client(postgres.url);
  await admin.connect();
  await admin.query('CREATE DATABASE ceiling');
  await admin.query('CREATE DATABASE service');
  await admin.end();
  const url = (name: string) => ({ DATABASE_URL: postgres.url.replace(/\/postgres$/, `/${name}`) });
  return {
    servers: [...pair('PostgreSQL', url('ceiling'), url('service')), ...embedded],
    close: () => postgres.remove(),
  };
}

export async function benchNotes(options: NotesBenchOptions): Promise<NotesResult[]> {
  const { servers, close } = await notesServers();
  const loads = new Map<string, Load[]>();
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const server of rotated(servers, round)) {
        const port = await freePort();
        const child = start(server, port, { pinned: options.pinned });
        try {
          await seed(server, port);
          for (const [operation, script] of OPERATIONS) {
            const wrk = { connections: options.connections, script, pinned: options.pinned };
            if (!options.smoke) await runWrk(port, 1, wrk); // warm-up, not counted
            const load = await runWrk(port, options.durationS, wrk);
            const key = `${server.name}|${operation}`;
            loads.set(key, [...(loads.get(key) ?? []), load]);
            console.log(
              `round ${round + 1}  ${`${server.name} ${operation}`.padEnd(58)} ${load.requestsPerSecond.toFixed(0).padStart(7)} req/s  p99 ${load.p99Ms.toFixed(2)} ms`,
            );
          }
        } finally {
          await stop(child);
        }
      }
    }
  } finally {
    close();
  }
  return servers.flatMap((server) =>
    OPERATIONS.map(([operation]) => {
      const measured = loads.get(`${server.name}|${operation}`) ?? [];
      return {
        name: server.name,
        database: server.database,
        operation,
        ceiling: server.ceiling,
        requestsPerSecond: median(measured.map((load) => load.requestsPerSecond)),
        p99Ms: median(measured.map((load) => load.p99Ms)),
        errors: measured.reduce((sum, load) => sum + load.errors, 0),
      };
    }),
  );
}

/** Each result with its ratios to the ceiling of the same database and operation. */
export function notesRatios(results: readonly NotesResult[]) {
  return results.map((result) => {
    const ceiling = results.find(
      (other) => other.ceiling && other.database === result.database && other.operation === result.operation,
    );
    return {
      ...result,
      throughputRatio: ceiling ? result.requestsPerSecond / ceiling.requestsPerSecond : Number.NaN,
      p99Ratio: ceiling ? result.p99Ms / ceiling.p99Ms : Number.NaN,
    };
  });
}
