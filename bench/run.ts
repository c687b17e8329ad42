// npm run bench: the service, the ceiling, the framework floors and the equal-feature peers, side
// by side on loopback, in interleaved rounds (every server once per round, the order rotated each
// round) so that the machine's drift falls on all of them alike; each figure is the median over
// rounds and every ratio is to the ceiling measured in the same run. Servers run pinned to core 0,
// the load generator to core 1 (where there are two). `--smoke` (CI) runs one round of one second
// and writes nothing; otherwise results go to bench/results/<date>.json and docs/benchmarks.md.
// `--image TAG` also measures the image's entry point on the image's own Node.js (24);
// `--compare DIR` (repeatable) also measures another build of the bundle (an earlier commit's),
// for before/after in the same run. Three series, a file each: main-series.ts (the contract's
// routes, every server), notes.ts (a module on a database), startup.ts (0 to 50 modules).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release } from 'node:os';
import { join } from 'node:path';
import { imageServers } from './image.js';
import { benchMain } from './main-series.js';
import { benchNotes, notesRatios, printNotes } from './notes.js';
import { parseBenchOptions } from './options.js';
import { writeReport } from './report.js';
import {
  type BenchServer,
  CEILING,
  flaskServers,
  NODE_SERVERS,
  SERVICE_BUNDLE,
  serviceCommand,
  withAccessLog,
} from './servers.js';
import { benchStartup, printStartup } from './startup.js';
import { WRK } from './wrk.js';

const options = parseBenchOptions(process.argv.slice(2));
const { smoke, rounds, durationS, connections, coldStarts } = options;
const pinned = availableParallelism() >= 2 && existsSync('/usr/bin/taskset');
if (!existsSync(WRK)) throw new Error('the benchmark needs wrk (apt-get install wrk)');
if (!existsSync(SERVICE_BUNDLE)) throw new Error(`${SERVICE_BUNDLE} is missing: run npm run bundle first`);

/** Another build of the bundle (`npm run bundle` at an earlier commit, its folder copied aside). */
function compareServers(bundle: string): BenchServer[] {
  const main = join(bundle, 'dist/main.mjs');
  if (!existsSync(main)) throw new Error(`${main} is missing`);
  return withAccessLog(`simple-rest at ${bundle}`, main, serviceCommand);
}

// --only NAME keeps the servers whose name contains NAME, and the ceiling (a partial run writes no results).
const allServers = [
  ...NODE_SERVERS,
  ...(options.image ? imageServers(options.image) : []),
  ...options.compare.flatMap(compareServers),
  ...(smoke ? [] : flaskServers()),
];
const servers = allServers.filter(
  (server) => options.only === undefined || server.name === CEILING || server.name.includes(options.only),
);

// --only notes and --only startup run that series alone; any other --only, the main series alone.
const only = (series: 'main' | 'notes' | 'startup') =>
  options.only === undefined ||
  (series === 'main' ? !['notes', 'startup'].includes(options.only) : options.only === series);
const results = only('main')
  ? await benchMain({ servers, rounds, durationS, connections, coldStarts, pinned, smoke })
  : [];
const notes = only('notes')
  ? notesRatios(await benchNotes({ rounds, durationS, connections, pinned, smoke, compare: options.compare }))
  : [];
printNotes(notes);
// The start-up series, with the ceiling for its cold start.
const ceilingServer = allServers.find((server) => server.name === CEILING);
const startupSeries =
  only('startup') && ceilingServer
    ? await benchStartup({ starts: coldStarts, pinned, ceiling: ceilingServer, compare: options.compare })
    : undefined;
if (startupSeries) printStartup(startupSeries);
const failed = [...results, ...notes].filter((result) => result.errors > 0);
if (failed.length > 0) throw new Error(`requests failed under load: ${failed.map((result) => result.name).join(', ')}`);

if (!smoke && options.only === undefined) {
  const date = new Date().toISOString().slice(0, 10);
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    kernel: release(),
    node: process.version,
    // wrk --version prints its version and exits 1.
    client: spawnSync(WRK, ['--version'], { encoding: 'utf8' }).stdout.split(' [')[0],
    pinned,
    rounds,
    durationS,
    connections,
    coldStarts,
  };
  writeFileSync(
    `bench/results/${date}.json`,
    `${JSON.stringify({ date, machine, results, notes, startup: startupSeries }, null, 2)}\n`,
  );
  writeReport({ date, machine, results, notes, ...(startupSeries && { startup: startupSeries }) });
  // The report's tables are written plainly; Biome aligns them, so `npm run lint` stays clean.
  execFileSync('node_modules/.bin/biome', ['format', '--write', 'docs/benchmarks.md', 'docs/benchmarks.svg'], {
    stdio: 'ignore',
  });
  console.log(`wrote bench/results/${date}.json and docs/benchmarks.md`);
}
