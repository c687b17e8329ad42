// npm run bench: the service and reference servers, side by side on this machine, on loopback.
// Each server runs pinned to core 0 and the load generator to core 1 (where there are two);
// every server is loaded with the same client settings. `--smoke` runs one second per server
// and writes nothing (CI); otherwise results go to bench/results/<date>.json and
// docs/benchmarks.md with its charts.
import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism, cpus, release } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';
import { CONTRACT } from '../packages/service/test/support/contract.js';
import { type BenchResult, writeReport } from './report.js';

const { values: options } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'cold-starts': { type: 'string', default: '10' },
    only: { type: 'string' },
  },
});
const smoke = options.smoke;
const durationS = smoke ? 1 : Number(options.duration);
const connections = Number(options.connections);
const coldStarts = smoke ? 1 : Number(options['cold-starts']);
const pinned = availableParallelism() >= 2 && existsSync('/usr/bin/taskset');
const useWrk = existsSync('/usr/bin/wrk');
const python = '/usr/bin/python3';
const hasFlask = spawnSync(python, ['-c', 'import flask'], { stdio: 'ignore' }).status === 0;

interface Server {
  readonly name: string;
  readonly command: readonly string[];
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

const SERVICE = 'packages/service/bundle/dist/main.mjs';
const allServers: Server[] = [
  { name: 'node:http', command: [process.execPath, 'bench/servers/node-http.mjs'] },
  { name: 'simple-rest, ACCESS_LOG=off', command: [process.execPath, SERVICE], env: { ACCESS_LOG: 'off' } },
  { name: 'simple-rest, ACCESS_LOG=on', command: [process.execPath, SERVICE], env: { ACCESS_LOG: 'on' } },
  { name: 'Fastify 5, no plugins', command: [process.execPath, 'bench/servers/fastify.mjs'] },
  { name: 'Express 5', command: [process.execPath, 'bench/servers/express.mjs'] },
  { name: 'Hono (node-server)', command: [process.execPath, 'bench/servers/hono.mjs'] },
  ...(hasFlask && !smoke
    ? [
        { name: 'Flask dev server (debug)', command: [python, 'flask_app.py'], cwd: 'bench/servers' },
        {
          name: 'Flask on gunicorn (1 worker)',
          command: ['/usr/bin/gunicorn', '--workers', '1', '--bind', '127.0.0.1:$PORT', 'flask_app:app'],
          cwd: 'bench/servers',
        },
      ]
    : []),
];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a server on core 0 in a process group of its own, its output drained as a real pipe would be. */
function start(server: Server, port: number): ChildProcess {
  const command = server.command.map((part) => part.replace('$PORT', String(port)));
  const [file = '', ...args] = pinned ? ['/usr/bin/taskset', '-c', '0', ...command] : command;
  const child = spawn(file, args, {
    cwd: server.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), ...server.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(-(child.pid ?? 0), 'SIGKILL');
  await exited;
}

function fetchOnce(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** Milliseconds from spawn to the first 200, asking every 2 ms for at most 10 s. */
async function coldStartMs(server: Server): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = start(server, port);
  try {
    while (performance.now() - started < 10_000) {
      const ok = await fetchOnce(port, '/').then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) return performance.now() - started;
      await sleep(2);
    }
    throw new Error(`${server.name} did not answer within 10 s`);
  } finally {
    await stop(child);
  }
}

/** Peak resident memory (VmHWM) of the server's processes, in MB. */
function peakRssMb(child: ChildProcess): number {
  const pids = execFileSync('pgrep', ['-g', String(child.pid)], { encoding: 'utf8' })
    .trim()
    .split('\n');
  const peaks = pids.map((pid) => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) / 1024;
  });
  return Math.max(...peaks);
}

interface Load {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

// Asynchronous on purpose: while wrk runs, this process must keep draining the servers'
// output pipes, or a server that logs every request blocks on a full pipe.
const execFileAsync = promisify(execFile);

async function runWrk(port: number, seconds: number): Promise<Load> {
  const pin = pinned ? ['/usr/bin/taskset', '-c', '1'] : [];
  const [file = '', ...args] = [
    ...pin,
    '/usr/bin/wrk',
    '--threads',
    '1',
    '--connections',
    String(connections),
    '--duration',
    `${seconds}s`,
    '--latency',
    '--script',
    'bench/rotate.lua',
    `http://127.0.0.1:${port}`,
  ];
  const { stdout: output } = await execFileAsync(file, args, { encoding: 'utf8' });
  const toMs = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? Number.NaN);
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)$`, 'm').exec(output);
    return match ? toMs(match[1] ?? '', match[2] ?? '') : Number.NaN;
  };
  const errors =
    Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0) +
    Number(
      /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
        .exec(output)
        ?.slice(1)
        .reduce((a, b) => a + Number(b), 0) ?? 0,
    );
  return {
    requestsPerSecond: Number(/^Requests\/sec:\s+([\d.]+)$/m.exec(output)?.[1]),
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    errors,
  };
}

async function runAutocannon(port: number, seconds: number): Promise<Load> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: CONTRACT.map(([path]) => ({ method: 'GET', path })),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors,
  };
}

async function measure(server: Server): Promise<BenchResult> {
  const starts: number[] = [];
  for (let run = 0; run < coldStarts; run++) starts.push(await coldStartMs(server));
  starts.sort((a, b) => a - b);

  const port = await freePort();
  const child = start(server, port);
  try {
    for (let attempt = 0; attempt < 500; attempt++) {
      if (
        await fetchOnce(port, '/').then(
          () => true,
          () => false,
        )
      )
        break;
      await sleep(10);
    }
    for (const [path, body] of CONTRACT) {
      const res = await fetchOnce(port, path);
      if (res.status !== 200 || res.body !== body)
        throw new Error(`${server.name} GET ${path}: ${res.status} ${res.body}`);
    }
    if (!smoke) await (useWrk ? runWrk(port, 1) : runAutocannon(port, 1)); // warm-up, not counted
    const load = await (useWrk ? runWrk(port, durationS) : runAutocannon(port, durationS));
    return {
      name: server.name,
      ...load,
      peakRssMb: peakRssMb(child),
      coldStartMs: starts[Math.floor(starts.length / 2)] ?? 0,
    };
  } finally {
    await stop(child);
  }
}

// --only NAME keeps the servers whose name contains NAME (a partial run writes no results).
const servers = allServers.filter((server) => options.only === undefined || server.name.includes(options.only));

if (!existsSync(SERVICE)) throw new Error(`${SERVICE} is missing: run npm run bundle first`);
const client = useWrk ? `wrk (1 thread, ${connections} connections)` : `autocannon (${connections} connections)`;
console.log(
  `bench: ${servers.length} servers, ${durationS} s each, ${client}, ${coldStarts} cold start(s) each, ${pinned ? 'server on core 0, client on core 1' : 'not pinned'}`,
);
const results: BenchResult[] = [];
for (const server of servers) {
  const result = await measure(server);
  results.push(result);
  console.log(
    `${result.name.padEnd(30)} ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  peak RSS ${result.peakRssMb.toFixed(1)} MB  cold start ${result.coldStartMs.toFixed(0)} ms  errors ${result.errors}`,
  );
}
const failed = results.filter((result) => result.errors > 0);
if (failed.length > 0) throw new Error(`requests failed under load: ${failed.map((result) => result.name).join(', ')}`);

if (!smoke && options.only === undefined) {
  const date = new Date().toISOString().slice(0, 10);
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    kernel: release(),
    node: process.version,
    // wrk --version prints its version and exits 1.
    client: useWrk
      ? spawnSync('/usr/bin/wrk', ['--version'], { encoding: 'utf8' }).stdout.split(' [')[0]
      : 'autocannon',
    python: hasFlask
      ? execFileSync(python, ['-c', 'import flask, sys; print(sys.version.split()[0], flask.__version__)'], {
          encoding: 'utf8',
        }).trim()
      : null,
    pinned,
    durationS,
    connections,
    coldStarts,
  };
  writeFileSync(`bench/results/${date}.json`, `${JSON.stringify({ date, machine, results }, null, 2)}\n`);
  writeReport({ date, machine, results });
  // The report's tables are written plainly; Biome aligns them, so `npm run lint` stays clean.
  execFileSync('node_modules/.bin/biome', ['format', '--write', 'docs/benchmarks.md', 'docs/benchmarks.svg'], {
    stdio: 'ignore',
  });
  console.log(`wrote bench/results/${date}.json and docs/benchmarks.md`);
}
