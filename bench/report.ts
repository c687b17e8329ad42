// Writes the measured section of docs/benchmarks.md (between its markers, so the analysis
// around it stays) and the chart docs/benchmarks.svg.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { NotesResult } from './notes.js';
import { CEILING } from './servers.js';
import type { StartupSeries } from './startup.js';

export interface BenchResult {
  readonly name: string;
  /** The server's CPU time (utime+stime) per answer, in µs: the steady figure on a shared machine. */
  readonly cpuUsPerRequest: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly peakRssMb: number;
  readonly coldStartMs: number;
}

export interface BenchRun {
  readonly date: string;
  readonly machine: Record<string, unknown>;
  readonly results: readonly BenchResult[];
  /** The start-up series (bench/startup.ts). */
  readonly startup?: StartupSeries;
  /** The notes series, with ratios to its own ceilings (bench/notes.ts). */
  readonly notes?: readonly (NotesResult & {
    readonly cpuRatio: number;
    readonly throughputRatio: number;
    readonly p99Ratio: number;
  })[];
}

const DOC = 'docs/benchmarks.md';
const CHART = 'docs/benchmarks.svg';
const START = '<!-- results:start -->';
const END = '<!-- results:end -->';

export function writeReport(run: BenchRun): void {
  const section = renderResults(run);
  const current = existsSync(DOC) ? readFileSync(DOC, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
  const [before = '', rest = ''] = current.split(START);
  const after = rest.split(END)[1] ?? '\n';
  writeFileSync(DOC, `${before}${section}${after}`);
  writeFileSync(CHART, chart(run.results, baselineOf(run)));
}

function baselineOf(run: BenchRun): BenchResult {
  const baseline = run.results.find((result) => result.name === CEILING);
  if (!baseline) throw new Error(`no "${CEILING}" in the results`);
  return baseline;
}

/** The measured section of docs/benchmarks.md, between its markers: every figure with its ratio to the ceiling. */
export function renderResults(run: BenchRun): string {
  const baseline = baselineOf(run);
  // A figure wrk did not report (NaN in a run, null in its JSON) is shown as a dash.
  const figure = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
  const ratio = (value: number, base: number) => (Number.isFinite(value) ? figure(value / base, 2) : '—');
  const rows = run.results.map(
    (r) =>
      `| ${r.name} | ${figure(r.cpuUsPerRequest, 1)} | ${ratio(r.cpuUsPerRequest, baseline.cpuUsPerRequest)} | ${figure(r.requestsPerSecond, 0)} | ${ratio(r.requestsPerSecond, baseline.requestsPerSecond)} | ${figure(r.p50Ms, 2)} | ${ratio(r.p50Ms, baseline.p50Ms)} | ${figure(r.p99Ms, 2)} | ${ratio(r.p99Ms, baseline.p99Ms)} | ${figure(r.peakRssMb, 1)} | ${ratio(r.peakRssMb, baseline.peakRssMb)} | ${figure(r.coldStartMs, 0)} | ${ratio(r.coldStartMs, baseline.coldStartMs)} |`,
  );
  const machine = Object.entries(run.machine)
    .map(([key, value]) => `\`${key}\`: ${String(value)}`)
    .join(' · ');
  return [
    START,
    `Measured ${run.date} by \`npm run bench\` (raw figures: [bench/results/${run.date}.json](../bench/results/${run.date}.json)).`,
    '',
    `Machine and settings: ${machine}.`,
    '',
    '| server | CPU µs/request | × ceiling | req/s | × ceiling | p50 ms | × | p99 ms | × | peak RSS MB | × | cold start ms | × |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '![Throughput and cold start, as a ratio to the ceiling](benchmarks.svg)',
    ...notesTable(run, figure),
    ...startupTable(run, figure),
    END,
  ].join('\n');
}

/** The notes series: each server's figures and its ratio to the ceiling on the same database and operation. */
function notesTable(run: BenchRun, figure: (value: number, digits: number) => string): string[] {
  if (!run.notes || run.notes.length === 0) return [];
  return [
    '',
    "The notes module, `GET` and `PUT /notes/{id}/` over 100 notes, beside a bare `node:http` server making the same database calls (the ceiling for each database); the servers take turns in slices, and CPU per request is the server process's own (not the database's):",
    '',
    '| server | operation | CPU µs/request | × ceiling | req/s | × ceiling | p99 ms | × ceiling |',
    '|---|---|---|---|---|---|---|---|',
    ...run.notes.map(
      (r) =>
        `| ${r.name} | ${r.operation} | ${figure(r.cpuUsPerRequest, 1)} | ${figure(r.cpuRatio, 2)} | ${figure(r.requestsPerSecond, 0)} | ${figure(r.throughputRatio, 2)} | ${figure(r.p99Ms, 2)} | ${figure(r.p99Ratio, 2)} |`,
    ),
  ];
}

/** The start-up series: cold start and peak RSS with generated modules, beside the ceiling's cold start and the same bundle alone. */
function startupTable(run: BenchRun, figure: (value: number, digits: number) => string): string[] {
  const series = run.startup;
  if (!series || series.results.length === 0) return [];
  const aloneOf = (bundle: string) => series.results.find((r) => r.bundle === bundle && r.modules === 0);
  return [
    '',
    `Start-up with generated modules of 10 routes each (the blueprint mounted too), on the bench's Node.js with a warm compile cache, medians of the cold starts, beside the ceiling's ${figure(series.ceilingColdStartMs, 0)} ms in the same rounds; the first-request column is the most a first request to a generated route took over the second. The floor is Fastify alone mounting the same modules, with nothing of the service's: what the framework itself adds per module:`,
    '',
    '| bundle | generated modules | cold start ms | × ceiling | × blueprint alone | ms over the blueprint alone | peak RSS MB | × blueprint alone | API requests shed in the first second | first request, ms over the next |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...series.results.map((r) => {
      const alone = aloneOf(r.bundle) ?? r;
      return `| ${r.bundle} | ${r.modules} | ${figure(r.coldStartMs, 0)} | ${figure(r.coldStartMs / series.ceilingColdStartMs, 2)} | ${figure(r.coldStartMs / alone.coldStartMs, 2)} | ${figure(r.coldStartMs - alone.coldStartMs, 0)} | ${figure(r.peakRssMb, 1)} | ${figure(r.peakRssMb / alone.peakRssMb, 2)} | ${r.shed} | ${figure(r.firstRequestExtraMs, 1)} |`;
    }),
  ];
}

/** Two horizontal bar panels: throughput and cold start, each with its value labelled. */
function chart(results: readonly BenchResult[], baseline: BenchResult): string {
  const barHeight = 22;
  // Room for the longest name at about 7 px a character in 13 px sans-serif.
  const labelWidth = Math.max(...results.map((r) => r.name.length)) * 7 + 16;
  const barWidth = 360;
  const panelHeight = results.length * (barHeight + 6) + 40;
  const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  const panel = (title: string, y0: number, value: (r: BenchResult) => number, unit: string, color: string) => {
    const max = Math.max(...results.map(value));
    const bars = results.map((r, index) => {
      const y = y0 + 30 + index * (barHeight + 6);
      const width = Math.max(1, (value(r) / max) * barWidth);
      const ratio = (value(r) / value(baseline)).toFixed(2);
      return [
        `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeXml(r.name)}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${width.toFixed(1)}" height="${barHeight}" fill="${color}"/>`,
        `<text x="${(labelWidth + width + 6).toFixed(1)}" y="${y + 15}">${value(r).toFixed(0)} ${unit} (${ratio}×)</text>`,
      ].join('');
    });
    return [`<text x="10" y="${y0 + 18}" font-weight="bold">${escapeXml(title)}</text>`, ...bars].join('\n');
  };
  const height = panelHeight * 2 + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelWidth + barWidth + 190}" height="${height}" font-family="sans-serif" font-size="13">`,
    '<title>simple-rest benchmarks: throughput and cold start beside the node:http ceiling and the alternatives</title>',
    '<rect width="100%" height="100%" fill="white"/>',
    panel('Throughput, requests per second (higher is better)', 0, (r) => r.requestsPerSecond, 'req/s', '#3b7dd8'),
    panel(
      'Cold start, spawn to first 200, median (lower is better)',
      panelHeight,
      (r) => r.coldStartMs,
      'ms',
      '#d8843b',
    ),
    '</svg>',
    '',
  ].join('\n');
}
