// Runs wrk against a local server and reads its figures.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const WRK = '/usr/bin/wrk';

export interface Load {
  /** Every answer wrk counted over the run. */
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Non-2xx/3xx answers and socket errors. */
  readonly errors: number;
}

export interface WrkOptions {
  readonly connections: number;
  /** A Lua script that chooses each request (bench/*.lua); without one, every request is `path`. */
  readonly script?: string;
  readonly path?: string;
  /** A header every request carries, `Name: value` (a bearer token). */
  readonly header?: string;
  /** Run wrk on core 1, the servers being on core 0. */
  readonly pinned: boolean;
}

// Asynchronous on purpose: while wrk runs, this process must keep draining the servers'
// output pipes, or a server that logs every request blocks on a full pipe.
const execFileAsync = promisify(execFile);

export async function runWrk(
  port: number,
  seconds: number,
  { connections, script, path = '/', header, pinned }: WrkOptions,
): Promise<Load> {
  const pin = pinned ? ['/usr/bin/taskset', '-c', '1'] : [];
  const [file = '', ...args] = [
    ...pin,
    WRK,
    '--threads',
    '1',
    '--connections',
    String(connections),
    '--duration',
    `${seconds}s`,
    '--latency',
    ...(script ? ['--script', script] : []),
    ...(header ? ['--header', header] : []),
    `http://127.0.0.1:${port}${path}`,
  ];
  const { stdout } = await execFileAsync(file, args, { encoding: 'utf8' });
  return parseWrk(stdout);
}

/** wrk's report, read: a percentile it did not report is NaN. */
export function parseWrk(output: string): Load {
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
    requests: Number(/^\s*(\d+) requests in /m.exec(output)?.[1]),
    requestsPerSecond: Number(/^Requests\/sec:\s+([\d.]+)$/m.exec(output)?.[1]),
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    errors,
  };
}

/** The median of the figures a round could read (wrk leaves out a percentile it cannot report). */
export const median = (values: readonly number[]) => {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** Each item's order in round `round`: the list rotated by the round, so none is always first. */
export const rotated = <T>(list: readonly T[], round: number) =>
  list.map((_, i) => list[(i + round) % list.length] as T);
