// npm run soak [-- --seconds 300]: a bounded long run of the bundled service under steady load
// on loopback, sampling its heap and RSS from /metrics. Fails (exit 1) when memory grows past
// the stated bounds between the second and the last quarter of the run (the first is warm-up).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs, promisify } from 'node:util';

const HEAP_GROWTH_BOUND_MB = 10;
const RSS_GROWTH_BOUND_MB = 30;
const SAMPLE_EVERY_MS = 5000;
const SERVICE = 'packages/service/bundle/dist/main.mjs';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '120' } } });
const seconds = Number(values.seconds);
if (!existsSync(SERVICE)) throw new Error(`${SERVICE} is missing: run npm run bundle first`);
if (!existsSync('/usr/bin/wrk')) throw new Error('the soak needs wrk (apt-get install wrk)');

const port = 5600 + (process.pid % 300);
const service = spawn(process.execPath, [SERVICE], {
  env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), ACCESS_LOG: 'on' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
service.stdout.resume(); // drain the access log as a container runtime would
const url = `http://127.0.0.1:${port}`;
for (let attempt = 0; attempt < 100; attempt++) {
  if (
    await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    )
  )
    break;
  await sleep(50);
}

async function sample(): Promise<{ heapMb: number; rssMb: number }> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]) / 1e6;
  return { heapMb: value('nodejs_heap_size_used_bytes'), rssMb: value('process_resident_memory_bytes') };
}

console.log(`soak: ${seconds} s of wrk (1 thread, 50 connections, the four routes) against ${url}, ACCESS_LOG=on`);
const load = promisify(execFile)('/usr/bin/wrk', ['-t1', '-c50', `-d${seconds}s`, '-s', 'bench/rotate.lua', url]);
const samples: { atS: number; heapMb: number; rssMb: number }[] = [];
const started = Date.now();
while (Date.now() - started < seconds * 1000 - SAMPLE_EVERY_MS / 2) {
  await sleep(SAMPLE_EVERY_MS);
  samples.push({ atS: Math.round((Date.now() - started) / 1000), ...(await sample()) });
  const last = samples.at(-1);
  console.log(
    `  ${String(last?.atS).padStart(4)} s  heap ${last?.heapMb.toFixed(1)} MB  rss ${last?.rssMb.toFixed(1)} MB`,
  );
}
const { stdout } = await load;
service.kill('SIGTERM');

// The first quarter is warm-up; compare the second quarter with the last one.
const quarter = Math.max(1, Math.floor(samples.length / 4));
const early = samples.slice(quarter, 2 * quarter);
const late = samples.slice(-quarter);
const min = (list: typeof samples, key: 'heapMb' | 'rssMb') => Math.min(...list.map((entry) => entry[key]));
const max = (list: typeof samples, key: 'heapMb' | 'rssMb') => Math.max(...list.map((entry) => entry[key]));
// Heap: compare the lows (what survives collection); RSS: compare the highs.
const heapGrowth = min(late, 'heapMb') - min(early, 'heapMb');
const rssGrowth = max(late, 'rssMb') - max(early, 'rssMb');
const requests = /(\d+) requests in/.exec(stdout)?.[1];
console.log(`served ${requests} requests (${/Requests\/sec:\s+(\S+)/.exec(stdout)?.[1]} req/s)`);
console.log(
  `heap growth ${heapGrowth.toFixed(1)} MB (bound ${HEAP_GROWTH_BOUND_MB}), RSS growth ${rssGrowth.toFixed(1)} MB (bound ${RSS_GROWTH_BOUND_MB})`,
);
if (samples.length < 4) throw new Error('too short to judge: run at least 20 seconds');
if (heapGrowth > HEAP_GROWTH_BOUND_MB || rssGrowth > RSS_GROWTH_BOUND_MB) {
  console.error('memory grew past its bound');
  process.exitCode = 1;
}
