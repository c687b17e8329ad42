// The main series: every server in interleaved rounds on the contract's four routes (bench/rotate.lua),
// each started afresh per round; its CPU per answer, throughput, latency, peak RSS and cold start.
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, requestAsIs } from '@simple-rest/testing';
import { cpuPerRequest } from './cpu.js';
import { coldStartMs, firstAnswer, peakRssMb, start, stop } from './processes.js';
import type { BenchResult } from './report.js';
import { CONTRACT_PATHS, contractBody } from './servers/contract-body.mjs';
import { type BenchServer, CEILING } from './servers.js';
import { type Load, median, rotated, runWrk } from './wrk.js';

export interface MainSeriesOptions {
  readonly servers: readonly BenchServer[];
  readonly rounds: number;
  readonly durationS: number;
  readonly connections: number;
  readonly coldStarts: number;
  readonly pinned: boolean;
  readonly smoke: boolean;
}

/** Where traced servers send their spans: a receiver that answers 200 and keeps nothing; its URL. */
async function startSpanSink(): Promise<{ url: string; close(): void }> {
  const sink = createHttpServer((request, response) => {
    request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  }).listen(0, '127.0.0.1');
  await once(sink, 'listening');
  return { url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`, close: () => sink.close() };
}

/** One round for one server: start it, check the contract, warm it up, load it, read its peak RSS. */
type Measured = Load & { cpuUsPerRequest: number; peakRssMb: number };

async function loadOnce(server: BenchServer, options: MainSeriesOptions, otlpUrl: string): Promise<Measured> {
  const { pinned, connections, durationS, smoke } = options;
  const port = await freePort();
  const child = start(server, port, { pinned, otlpUrl });
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

/** Runs the series, printing each round's figures, and returns each server's medians. */
export async function benchMain(options: MainSeriesOptions): Promise<BenchResult[]> {
  const { servers, rounds, durationS, connections, coldStarts, pinned } = options;
  console.log(
    `bench: ${servers.length} servers, ${rounds} interleaved round(s) of ${durationS} s each, wrk (1 thread, ${connections} connections), ${coldStarts} cold start(s) each, ${pinned ? 'server on core 0, client on core 1' : 'not pinned'}`,
  );
  const starts = new Map(servers.map((server) => [server.name, [] as number[]]));
  const loads = new Map(servers.map((server) => [server.name, [] as Measured[]]));
  const spans = await startSpanSink();
  try {
    for (let run = 0; run < coldStarts; run++)
      for (const server of rotated(servers, run))
        starts.get(server.name)?.push(await coldStartMs(server, { pinned, otlpUrl: spans.url }));
    for (let round = 0; round < rounds; round++) {
      for (const server of rotated(servers, round)) {
        const load = await loadOnce(server, options, spans.url);
        loads.get(server.name)?.push(load);
        console.log(
          `round ${round + 1}  ${server.name.padEnd(42)} ${load.cpuUsPerRequest.toFixed(1).padStart(6)} µs CPU/request ${load.requestsPerSecond.toFixed(0).padStart(7)} req/s  p99 ${load.p99Ms.toFixed(2)} ms  peak RSS ${load.peakRssMb.toFixed(1)} MB`,
        );
      }
    }
  } finally {
    spans.close();
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
  return results;
}
