// Start-up at any size: the bundle's cold start (spawn to the first 200 on `/`) and peak RSS with
// 0, 10 and 50 generated modules of 10 routes each (every route its own params and query schema,
// half with a JSON response schema); how many API requests load shedding refused in the first
// second after the first 200, under 50 concurrent connections; and what the first request to a
// route costs over the next, now that schemas compile on first use. Modules are plain JavaScript
// packages installed beside a copy of the bundle, and each copy runs as the image does: with
// its caches in NODE_COMPILE_CACHE (Node's and the service's code cache), filled by one start that
// stops cleanly (the image's build does the same).
// `--compare` bundles run the same series, interleaved, for before and after in one run; so does
// the floor, Fastify alone mounting the same modules (bench/servers/fastify-modules.mjs), which
// shows how much of the growth with modules is the framework's own.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requestAsIs } from '@simple-rest/testing';
import { coldStartMs, firstAnswer, peakRssMb, start, stop } from './processes.js';
import { type BenchServer, SERVICE_BUNDLE, serviceCommand } from './servers.js';
import { median, rotated, runWrk } from './wrk.js';

export const MODULE_COUNTS = [0, 10, 50] as const;
const ROUTES_PER_MODULE = 10;
/** Generated routes whose first and second requests are timed, in each start with modules. */
const PROBED_ROUTES = 10;

export interface StartupResult {
  /** Which bundle: `this build`, or a `--compare` folder. */
  readonly bundle: string;
  readonly modules: number;
  readonly coldStartMs: number;
  readonly peakRssMb: number;
  /** Requests to the API answered 503 in the first second after the first 200, over all starts. */
  readonly shed: number;
  /**
   * The most a first request to a generated route took over the second to the same route, in
   * milliseconds (median over starts of the largest of PROBED_ROUTES routes); NaN without modules.
   */
  readonly firstRequestExtraMs: number;
}

/** A module of plain JavaScript whose routes each have a schema of their own. */
function moduleSource(index: number): string {
  const routes = Array.from({ length: ROUTES_PER_MODULE }, (_, route) => {
    const response =
      route % 2 === 0
        ? `response: { 200: { type: 'object', properties: { id: { type: 'string' }, m${index}r${route}: { type: 'integer' } } } },`
        : '';
    return `  app.get('/r${route}/:id/', { schema: {
    params: { type: 'object', properties: { id: { type: 'string', maxLength: ${index + route + 10} } }, required: ['id'] },
    querystring: { type: 'object', properties: { q${route}: { type: 'integer', minimum: ${index} } } },
    ${response}
  } }, async (request) => ({ id: request.params.id, m${index}r${route}: ${route} }));`;
  });
  return `export default {
  name: '@gen/m${index}', version: '1.0.0', defaultPrefix: '/m${index}',
  openapi: { tag: 'm${index}', description: 'Generated module ${index}' },
  routes: async (app) => {
${routes.join('\n')}
  },
};
`;
}

/** A copy of `bundle` with `count` generated modules beside it; returns its folder. */
function bundleWith(root: string, bundle: string, count: number): string {
  const folder = mkdtempSync(join(root, `modules-${count}-`));
  cpSync(bundle, folder, { recursive: true });
  for (let index = 0; index < count; index++) {
    const module = join(folder, 'node_modules/@gen', `m${index}`);
    mkdirSync(module, { recursive: true });
    writeFileSync(
      join(module, 'package.json'),
      JSON.stringify({ name: `@gen/m${index}`, version: '1.0.0', type: 'module', main: 'index.js' }),
    );
    writeFileSync(join(module, 'index.js'), moduleSource(index));
  }
  return folder;
}

/** What the series starts: a bundle of the service, or the framework alone (the floor). */
type Subject = 'bundle' | 'floor';
/** The floor's label in the series and its report. */
export const FLOOR = 'Fastify alone, same modules (floor)';

const moduleList = (count: number) =>
  ['@simple-rest/blueprint=/blueprint', ...Array.from({ length: count }, (_, index) => `@gen/m${index}`)].join(',');

const serverFor = (subject: Subject, folder: string, count: number): BenchServer =>
  subject === 'bundle'
    ? {
        name: `simple-rest with ${count} generated modules`,
        command: serviceCommand(join(folder, 'dist/main.mjs')),
        env: {
          ACCESS_LOG: 'off',
          MODULES: moduleList(count),
          NODE_COMPILE_CACHE: join(folder, 'compile-cache'),
          NODE_COMPILE_CACHE_PORTABLE: '1',
        },
      }
    : {
        name: `${FLOOR} with ${count} generated modules`,
        command: [process.execPath, 'bench/servers/fastify-modules.mjs'],
        env: {
          MODULES: moduleList(count),
          MODULES_FROM: folder,
          NODE_COMPILE_CACHE: join(folder, 'compile-cache-floor'),
          NODE_COMPILE_CACHE_PORTABLE: '1',
        },
      };

/** One start that stops with SIGTERM, so both caches are written on the way out, as in the image's build. */
async function warmCompileCache(server: BenchServer, pinned: boolean): Promise<void> {
  const port = await freePort();
  const child = start(server, port, { pinned });
  await firstAnswer(server, port, performance.now());
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Milliseconds one request takes, from send to the whole answer. */
async function timed(port: number, path: string): Promise<number> {
  const started = performance.now();
  const { statusCode } = await requestAsIs(`http://127.0.0.1:${port}`, path);
  if (statusCode !== 200) throw new Error(`GET ${path} answered ${statusCode}`);
  return performance.now() - started;
}

/** Starts the copy once: its cold start, peak RSS, 503s in the first second and first-request cost. */
async function startOnce(server: BenchServer, count: number, pinned: boolean) {
  const port = await freePort();
  const started = performance.now();
  const child = start(server, port, { pinned });
  try {
    const coldStartMs = await firstAnswer(server, port, started);
    const { errors: shed } = await runWrk(port, 1, { connections: 50, path: '/blueprint/Kalimaha/', pinned });
    const extras: number[] = [];
    for (let index = 0; index < Math.min(count, PROBED_ROUTES); index++) {
      const path = `/m${index}/r${index % ROUTES_PER_MODULE}/abc/?q${index % ROUTES_PER_MODULE}=${index}`;
      const first = await timed(port, path);
      extras.push(first - (await timed(port, path)));
    }
    return {
      coldStartMs,
      peakRssMb: peakRssMb(child),
      shed,
      firstRequestExtraMs: extras.length > 0 ? Math.max(...extras) : Number.NaN,
    };
  } finally {
    await stop(child);
  }
}

/** The series, and the ceiling's cold start measured in the same rounds (the machine drifts between phases). */
export interface StartupSeries {
  readonly ceilingColdStartMs: number;
  readonly results: readonly StartupResult[];
}

export async function benchStartup({
  starts,
  pinned,
  ceiling,
  compare = [],
}: {
  starts: number;
  pinned: boolean;
  /** Started once in each round beside the series: every ratio is to its cold start. */
  ceiling: BenchServer;
  /** Earlier bundles' folders, measured the same way. */
  compare?: readonly string[];
}): Promise<StartupSeries> {
  const root = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    const thisBuild = SERVICE_BUNDLE.replace(/\/dist\/main\.mjs$/, '');
    const bundles = [{ label: 'this build', folder: thisBuild }].concat(
      compare.map((folder) => ({ label: folder, folder })),
    );
    const series = bundles
      .map(({ label, folder }) => ({ label, folder, subject: 'bundle' as Subject }))
      // The floor mounts the same generated modules, from copies of this build.
      .concat({ label: FLOOR, folder: thisBuild, subject: 'floor' as Subject })
      .flatMap(({ label, folder, subject }) =>
        MODULE_COUNTS.map((count) => ({
          label,
          count,
          server: serverFor(subject, bundleWith(root, folder, count), count),
          runs: [] as Run[],
        })),
      );
    for (const { server } of series) await warmCompileCache(server, pinned);
    const ceilingStarts: number[] = [];
    for (let run = 0; run < starts; run++) {
      ceilingStarts.push(await coldStartMs(ceiling, { pinned }));
      for (const entry of rotated(series, run)) {
        const result = await startOnce(entry.server, entry.count, pinned);
        entry.runs.push(result);
        console.log(
          `start ${run + 1}  ${entry.label}, ${String(entry.count).padStart(2)} generated modules: ${result.coldStartMs.toFixed(0)} ms to the first 200, peak RSS ${result.peakRssMb.toFixed(1)} MB, ${result.shed} shed, first request +${result.firstRequestExtraMs.toFixed(1)} ms`,
        );
      }
    }
    const results = series.map(({ label, count, runs }) => ({
      bundle: label,
      modules: count,
      coldStartMs: median(runs.map(({ coldStartMs }) => coldStartMs)),
      peakRssMb: median(runs.map(({ peakRssMb }) => peakRssMb)),
      shed: runs.reduce((sum, { shed }) => sum + shed, 0),
      firstRequestExtraMs: median(runs.map(({ firstRequestExtraMs }) => firstRequestExtraMs)),
    }));
    return { ceilingColdStartMs: median(ceilingStarts), results };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

type Run = Awaited<ReturnType<typeof startOnce>>;

/** The series' figures, one line a bundle and module count, with their ratios. */
export function printStartup(series: StartupSeries): void {
  console.log(`start-up series: the ceiling's cold start ${series.ceilingColdStartMs.toFixed(0)} ms`);
  const ratio = (value: number, base: number | undefined) => (base ? (value / base).toFixed(2) : '?');
  for (const result of series.results) {
    const alone = series.results.find((other) => other.bundle === result.bundle && other.modules === 0);
    console.log(
      `${result.bundle}, ${String(result.modules).padStart(2)} generated modules: cold start ${result.coldStartMs.toFixed(0)} ms (${ratio(result.coldStartMs, series.ceilingColdStartMs)}× the ceiling, ${ratio(result.coldStartMs, alone?.coldStartMs)}× the blueprint alone, +${(result.coldStartMs - (alone?.coldStartMs ?? Number.NaN)).toFixed(0)} ms)  peak RSS ${result.peakRssMb.toFixed(1)} MB (${ratio(result.peakRssMb, alone?.peakRssMb)}×)  shed in the first second: ${result.shed}  first request to a route: +${result.firstRequestExtraMs.toFixed(1)} ms`,
    );
  }
}
