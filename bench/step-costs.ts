// npm run bench:steps: what each piece of the request path costs on GET /blueprint/Kalimaha/.
// The bundle is built again once per piece with that piece alone turned off (its line removed
// from the list that composes it: steps/index.ts, server-options/index.ts or app.ts), and every
// build runs beside the whole bundle and the ceiling, taking turns in 2 s slices. A piece's cost
// is the median, over slices, of the whole bundle's CPU per request minus the build without it.
// A line that is no longer in its file fails the run, so the list cannot go stale unnoticed.
import { cp, mkdir, rm } from 'node:fs/promises';
import { freePort, requestAsIs } from '@simple-rest/testing';
import { buildService } from '../scripts/bundle-options.mjs';
import { cpuPerRequest } from './cpu.js';
import { start, stop } from './processes.js';
import { type BenchServer, CEILING, SERVICE_BUNDLE, serviceCommand } from './servers.js';
import { PIECES, type Piece, without } from './step-pieces.js';
import { median, rotated, runWrk } from './wrk.js';

const VARIANTS = 'bench/.variants';

/** The bundle with the piece turned off: a copy of the bundle whose service.cjs is built again. */
async function variant(piece: Piece, index: number): Promise<BenchServer> {
  const outdir = `${VARIANTS}/${index}`;
  await rm(outdir, { recursive: true, force: true });
  await mkdir(VARIANTS, { recursive: true });
  await cp('packages/service/bundle', outdir, { recursive: true });
  await buildService(outdir, [without(piece)]);
  return {
    name: `without ${piece.name}`,
    command: serviceCommand(`${outdir}/dist/main.mjs`),
    env: { ACCESS_LOG: 'off' },
  };
}

const slices = Number(process.env.SLICES ?? 5);
const servers: BenchServer[] = [
  { name: CEILING, command: [process.execPath, 'bench/servers/node-http-same-bytes.mjs'] },
  { name: 'whole', command: serviceCommand(SERVICE_BUNDLE), env: { ACCESS_LOG: 'off' } },
  { name: 'whole, ACCESS_LOG=on', command: serviceCommand(SERVICE_BUNDLE), env: { ACCESS_LOG: 'on' } },
  ...(await Promise.all(PIECES.map(variant))),
];
const path = '/blueprint/Kalimaha/';

/** Waits up to 10 s for the server's 200 on the path. */
async function answers(port: number): Promise<boolean> {
  for (let tries = 0; tries < 200; tries++) {
    try {
      if ((await requestAsIs(`http://127.0.0.1:${port}`, path)).statusCode === 200) return true;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
const running = [];
// A piece others need (a decorator they read) cannot be turned off alone: its build does not start.
const cannotStart: string[] = [];
for (const server of servers) {
  const port = await freePort();
  const child = start(server, port, { pinned: true });
  if (await answers(port)) running.push({ server, port, child });
  else if (server.name.startsWith('without ')) {
    cannotStart.push(server.name);
    await stop(child);
  } else throw new Error(`${server.name} did not answer ${path} with 200`);
}
const cpu = new Map<string, number[]>();
for (let slice = -1; slice < slices; slice++) {
  for (const { server, port, child } of rotated(running, Math.max(0, slice))) {
    const load = await cpuPerRequest(child.pid ?? 0, () =>
      runWrk(port, slice < 0 ? 1 : 2, { connections: 50, path, pinned: true }),
    );
    if (slice >= 0) cpu.set(server.name, [...(cpu.get(server.name) ?? []), load.cpuUsPerRequest]);
  }
}
await Promise.all(running.map(({ child }) => stop(child)));
await rm(VARIANTS, { recursive: true, force: true });

const whole = cpu.get('whole') ?? [];
const ceiling = cpu.get(CEILING) ?? [];
const bySlice = (values: readonly number[], base: readonly number[], f: (a: number, b: number) => number) =>
  median(values.map((value, i) => f(value, base[i] ?? Number.NaN)));
console.log(
  `GET ${path}, CPU per request, medians of ${slices} slices of 2 s (µs); "costs" is the whole bundle minus the build without the piece, slice by slice`,
);
console.log(`${CEILING.padEnd(52)} ${median(ceiling).toFixed(1).padStart(6)}`);
console.log(
  `${'whole bundle, ACCESS_LOG=off'.padEnd(52)} ${median(whole).toFixed(1).padStart(6)}  ${bySlice(whole, ceiling, (a, b) => a / b).toFixed(2)} × ceiling`,
);
for (const [name, values] of cpu) {
  if (name === 'whole' || name === CEILING) continue;
  const cost = name.startsWith('whole')
    ? bySlice(values, whole, (a, b) => a - b)
    : bySlice(whole, values, (a, b) => a - b);
  const label = name.startsWith('whole') ? 'the access log costs' : 'costs';
  console.log(`${name.padEnd(52)} ${median(values).toFixed(1).padStart(6)}  ${label} ${cost.toFixed(2)} µs`);
}
for (const name of cannotStart) console.log(`${name.padEnd(52)}   does not start: others need it`);
