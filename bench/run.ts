// npm run bench: the service, the ceiling, the framework floors and the equal-feature peers, side
// by side on loopback, in interleaved rounds (every server once per round, the order rotated each
// round) so that the machine's drift falls on all of them alike; each figure is the median over
// rounds and every ratio is to the ceiling measured in the same run. Servers run pinned to core 0,
// the load generator to core 1 (where there are two). `--smoke` (CI) runs one round of one second
// and writes nothing; otherwise results go to bench/results/<date>.json and docs/benchmarks.md.
// `--image TAG` also measures the image's entry point on the image's own Node.js (24);
// `--compare DIR` (repeatable) also measures another build of the bundle (an earlier commit's),
// for before/after in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requestAsIs } from '@simple-rest/testing';
import { cpuPerRequest } from './cpu.js';
import { benchNotes, notesRatios } from './notes.js';
import { parseBenchOptions } from './options.js';
import { coldStartMs, firstAnswer, peakRssMb, start, stop } from './processes.js';
import { type BenchResult, writeReport } from './report.js';
import { CONTRACT_PATHS, contractBody } from './servers/contract-body.mjs';
import { type BenchServer, CEILING, flaskServers, NODE_SERVERS, SERVICE_BUNDLE, withAccessLog } from './servers.js';
import { benchStartup } from './startup.js';
import { type Load, median, rotated, runWrk, WRK } from './wrk.js';

const options = parseBenchOptions(process.argv.slice(2));
const { smoke, rounds, durationS, connections, coldStarts } = options;
const pinned = availableParallelism() >= 2 && existsSync('/usr/bin/taskset');
if (!existsSync(WRK)) throw new Error('the benchmark needs wrk (apt-get install wrk)');
if (!existsSync(SERVICE_BUNDLE)) throw new Error(`${SERVICE_BUNDLE} is missing: run npm run bundle first`);

/** Where traced servers send their spans: a receiver that answers 200 and keeps nothing. */
const spanSink = createHttpServer((request, response) => {
  request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
}).listen(0, '127.0.0.1');
await once(spanSink, 'listening');
spanSink.unref();
const OTLP_URL = `http://127.0.0.1:${(spanSink.address() as AddressInfo).port}`;

/** One round for one server: start it, check the contract, warm it up, load it, read its peak RSS. */
type Measured = Load & { cpuUsPerRequest: number; peakRssMb: number };

async function loadOnce(server: BenchServer): Promise<Measured> {
  const port = await freePort();
  const child = start(server, port, { pinned, otlpUrl: OTLP_URL });
  try {
    await firstAnswer(server, port, performance.now());
    for (const path of CONTRACT_PATHS) {
      const body = contractBody(path);
      const res = await requestAsIs(`http://127.0.0.1:${port}`, path);
      if (res.statusCode !== 200 || res.body !== body)
        throw new Error(`${server.name} GET ${path}: ${res.statusCode} ${res.body}`);
    }
    const wrk = { connections, script: 'bench/rotate.lua', pinned };
    if (!smoke) await runWrk(port, 1, wrk); // warm-up, not counted
    const load = await cpuPerRequest(child.pid ?? 0, () => runWrk(port, durationS, wrk));
    return { ...load, peakRssMb: peakRssMb(child) };
  } finally {
    await stop(child);
  }
}

/**
 * The image's entry point on the image's own Node.js: its node binary and /app copied out of the
 * image, run here like the other servers (a container adds its own start-up, not the service's).
 */
function imageServers(tag: string): BenchServer[] {
  const docker = process.env.DOCKER ?? 'docker';
  const dir = mkdtempSync(join(tmpdir(), 'bench-image-'));
  chmodSync(dir, 0o755); // readable by the image's user
  const container = execFileSync(docker, ['create', tag], { encoding: 'utf8' }).trim();
  try {
    execFileSync(docker, ['cp', `${container}:/nodejs/bin/node`, join(dir, 'node')]);
    execFileSync(docker, ['cp', `${container}:/app`, join(dir, 'app')]);
    const env = JSON.parse(
      execFileSync(docker, ['inspect', '--format', '{{json .Config.Env}}', tag], { encoding: 'utf8' }),
    ) as string[];
    const imageEnv = Object.fromEntries(env.map((pair) => pair.split(/=(.*)/s, 2) as [string, string]));
    const version = execFileSync(join(dir, 'node'), ['--version'], { encoding: 'utf8' }).trim();
    const cache = imageEnv.NODE_COMPILE_CACHE?.replace(/^\/app/, join(dir, 'app'));
    // Node reads a compile cache only as the uid that wrote it: the image's user.
    const user = Number(
      execFileSync(docker, ['run', '--rm', '--entrypoint', '/nodejs/bin/node', tag, '-p', 'process.getuid()'], {
        encoding: 'utf8',
      }),
    );
    // docker cp hands the files to root; the cache's entries must be its writer's (mode 0600).
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', `${user}:${user}`, dir]);
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const entry = { command: [join(dir, 'node'), 'dist/main.mjs'], cwd: join(dir, 'app'), user };
    return [
      {
        name: `image entry, Node ${version}`,
        ...entry,
        env: {
          ACCESS_LOG: 'off',
          ...(cache && { NODE_COMPILE_CACHE: cache }),
          ...(imageEnv.NODE_COMPILE_CACHE_PORTABLE && {
            NODE_COMPILE_CACHE_PORTABLE: imageEnv.NODE_COMPILE_CACHE_PORTABLE,
          }),
        },
      },
      ...(cache
        ? [
            {
              name: `image entry, Node ${version}, no compile cache`,
              ...entry,
              env: { ACCESS_LOG: 'off', NODE_DISABLE_COMPILE_CACHE: '1' },
            },
          ]
        : []),
    ];
  } finally {
    execFileSync(docker, ['rm', container], { stdio: 'ignore' });
  }
}

/** Another build of the bundle (`npm run bundle` at an earlier commit, its folder copied aside). */
function compareServers(bundle: string): BenchServer[] {
  const main = join(bundle, 'dist/main.mjs');
  if (!existsSync(main)) throw new Error(`${main} is missing`);
  return withAccessLog(`simple-rest at ${bundle}`, main);
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

console.log(
  `bench: ${servers.length} servers, ${rounds} interleaved round(s) of ${durationS} s each, wrk (1 thread, ${connections} connections), ${coldStarts} cold start(s) each, ${pinned ? 'server on core 0, client on core 1' : 'not pinned'}`,
);
const starts = new Map(servers.map((server) => [server.name, [] as number[]]));
for (let run = 0; run < coldStarts; run++)
  for (const server of rotated(servers, run))
    starts.get(server.name)?.push(await coldStartMs(server, { pinned, otlpUrl: OTLP_URL }));
const loads = new Map(servers.map((server) => [server.name, [] as Measured[]]));
for (let round = 0; round < rounds; round++) {
  for (const server of rotated(servers, round)) {
    const load = await loadOnce(server);
    loads.get(server.name)?.push(load);
    console.log(
      `round ${round + 1}  ${server.name.padEnd(42)} ${load.cpuUsPerRequest.toFixed(1).padStart(6)} µs CPU/request ${load.requestsPerSecond.toFixed(0).padStart(7)} req/s  p99 ${load.p99Ms.toFixed(2)} ms  peak RSS ${load.peakRssMb.toFixed(1)} MB`,
    );
  }
}
const results: BenchResult[] = servers.map((server) => {
  const measured = loads.get(server.name) ?? [];
  const of = (field: keyof Measured) => median(measured.map((load) => load[field]));
  return {
    name: server.name,
    cpuUsPerRequest: of('cpuUsPerRequest'),
    requestsPerSecond: of('requestsPerSecond'),
    p50Ms: of('p50Ms'),
    p99Ms: of('p99Ms'),
    errors: measured.reduce((sum, load) => sum + load.errors, 0),
    peakRssMb: of('peakRssMb'),
    coldStartMs: median(starts.get(server.name) ?? []),
  };
});
const ceiling = results.find((result) => result.name === CEILING);
for (const result of results) {
  const ratio = (value: number, base: number | undefined) => (base ? (value / base).toFixed(2) : '?');
  console.log(
    `${result.name.padEnd(42)} ${result.cpuUsPerRequest.toFixed(1).padStart(6)} µs CPU/request (${ratio(result.cpuUsPerRequest, ceiling?.cpuUsPerRequest)}×)  ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s (${ratio(result.requestsPerSecond, ceiling?.requestsPerSecond)}×)  p99 ${result.p99Ms.toFixed(2)} ms (${ratio(result.p99Ms, ceiling?.p99Ms)}×)  peak RSS ${result.peakRssMb.toFixed(1)} MB (${ratio(result.peakRssMb, ceiling?.peakRssMb)}×)  cold start ${result.coldStartMs.toFixed(0)} ms (${ratio(result.coldStartMs, ceiling?.coldStartMs)}×)  errors ${result.errors}`,
  );
}
// The notes series: --only runs the main servers named, and `--only notes` the notes alone.
const notes =
  options.only === undefined || options.only === 'notes'
    ? notesRatios(await benchNotes({ rounds, durationS, connections, pinned, smoke, compare: options.compare }))
    : [];
for (const result of notes) {
  console.log(
    `${`${result.name} ${result.operation}`.padEnd(72)} ${result.cpuUsPerRequest.toFixed(1).padStart(6)} µs CPU/request (${result.cpuRatio.toFixed(2)}×)  ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s (${result.throughputRatio.toFixed(2)}×)  p99 ${result.p99Ms.toFixed(2)} ms (${result.p99Ratio.toFixed(2)}×)  errors ${result.errors}`,
  );
}
// The start-up series: --only startup runs it alone (with the ceiling, for its cold start).
const ceilingServer = servers.find((server) => server.name === CEILING);
const startupSeries =
  (options.only === undefined || options.only === 'startup') && ceilingServer
    ? await benchStartup({ starts: coldStarts, pinned, ceiling: ceilingServer, compare: options.compare })
    : undefined;
const startup = startupSeries?.results ?? [];
if (startupSeries)
  console.log(`start-up series: the ceiling's cold start ${startupSeries.ceilingColdStartMs.toFixed(0)} ms`);
for (const result of startup) {
  const ratio = (value: number, base: number | undefined) => (base ? (value / base).toFixed(2) : '?');
  const alone = startup.find((other) => other.bundle === result.bundle && other.modules === 0);
  console.log(
    `${result.bundle}, ${String(result.modules).padStart(2)} generated modules: cold start ${result.coldStartMs.toFixed(0)} ms (${ratio(result.coldStartMs, startupSeries?.ceilingColdStartMs)}× the ceiling, ${ratio(result.coldStartMs, alone?.coldStartMs)}× the blueprint alone, +${(result.coldStartMs - (alone?.coldStartMs ?? Number.NaN)).toFixed(0)} ms)  peak RSS ${result.peakRssMb.toFixed(1)} MB (${ratio(result.peakRssMb, alone?.peakRssMb)}×)  shed in the first second: ${result.shed}  first request to a route: +${result.firstRequestExtraMs.toFixed(1)} ms`,
  );
}
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
