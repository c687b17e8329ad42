// Start-up at any size: the bundle's cold start (spawn to the first 200 on `/`) and peak RSS with
// 0, 10 and 50 generated modules of 10 routes each (every route its own params and query schema,
// half with a JSON response schema), and how many API requests load shedding refused in the first
// second after listening. Modules are plain JavaScript packages installed beside a copy of the bundle.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requestAsIs } from '@simple-rest/testing';
import { firstAnswer, peakRssMb, start, stop } from './processes.js';
import { SERVICE_BUNDLE } from './servers.js';
import { median, rotated } from './wrk.js';

export const MODULE_COUNTS = [0, 10, 50] as const;
const ROUTES_PER_MODULE = 10;

export interface StartupResult {
  readonly modules: number;
  readonly coldStartMs: number;
  readonly peakRssMb: number;
  /** Requests to the API answered 503 in the first second after the first 200, over all starts. */
  readonly shed: number;
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

/** A copy of the bundle with `count` generated modules beside it; returns its folder. */
function bundleWith(root: string, count: number): string {
  const folder = join(root, `modules-${count}`);
  cpSync(SERVICE_BUNDLE.replace(/\/dist\/main\.mjs$/, ''), folder, { recursive: true });
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

/** Starts the copy once: milliseconds to the first 200, its peak RSS, and the 503s of the first second. */
async function startOnce(folder: string, count: number, pinned: boolean) {
  const modules = [
    '@simple-rest/blueprint=/blueprint',
    ...Array.from({ length: count }, (_, index) => `@gen/m${index}`),
  ];
  const server = {
    name: `simple-rest with ${count} generated modules`,
    command: [process.execPath, join(folder, 'dist/main.mjs')],
    env: { ACCESS_LOG: 'off', MODULES: modules.join(',') },
  };
  const port = await freePort();
  const started = performance.now();
  const child = start(server, port, { pinned });
  try {
    const coldStartMs = await firstAnswer(server, port, started);
    let shed = 0;
    const until = performance.now() + 1000;
    while (performance.now() < until) {
      if ((await requestAsIs(`http://127.0.0.1:${port}`, '/blueprint/Kalimaha/')).statusCode === 503) shed += 1;
    }
    return { coldStartMs, peakRssMb: peakRssMb(child), shed };
  } finally {
    await stop(child);
  }
}

export async function benchStartup({ starts, pinned }: { starts: number; pinned: boolean }): Promise<StartupResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    const folders = new Map(MODULE_COUNTS.map((count) => [count, bundleWith(root, count)]));
    const runs = new Map(MODULE_COUNTS.map((count) => [count, [] as Awaited<ReturnType<typeof startOnce>>[]]));
    for (let run = 0; run < starts; run++) {
      for (const count of rotated(MODULE_COUNTS, run)) {
        const result = await startOnce(folders.get(count) ?? '', count, pinned);
        runs.get(count)?.push(result);
        console.log(
          `start ${run + 1}  ${String(count).padStart(2)} generated modules: ${result.coldStartMs.toFixed(0)} ms to the first 200, peak RSS ${result.peakRssMb.toFixed(1)} MB, ${result.shed} shed`,
        );
      }
    }
    return MODULE_COUNTS.map((count) => {
      const measured = runs.get(count) ?? [];
      return {
        modules: count,
        coldStartMs: median(measured.map(({ coldStartMs }) => coldStartMs)),
        peakRssMb: median(measured.map(({ peakRssMb }) => peakRssMb)),
        shed: measured.reduce((sum, { shed }) => sum + shed, 0),
      };
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
