// CPU per request, the steady figure on a shared machine: where throughput swings between
// rounds, the CPU time a server spends on each answer barely moves. A slice reads the server's
// utime+stime from /proc (every process of its group: the primary and its workers) before and
// after a load, and divides by the requests wrk counted in it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** The CPU time, in µs, that the live processes of group `pgid` have used so far. */
export function groupCpuUs(pgid: number): number {
  const pids = execFileSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' })
    .trim()
    .split('\n');
  let ticks = 0;
  for (const pid of pids) {
    // The command name may hold spaces and parentheses: the fields are counted from the last ')'.
    // After it come state (3rd field), ..., utime (14th) and stime (15th).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1e6) / TICKS_PER_SECOND;
}

/** The CPU µs per request of one slice: `load` runs while the group's CPU time is read around it. */
export async function cpuPerRequest<T extends { readonly requests: number }>(
  pgid: number,
  load: () => Promise<T>,
): Promise<T & { readonly cpuUsPerRequest: number }> {
  const before = groupCpuUs(pgid);
  const result = await load();
  return { ...result, cpuUsPerRequest: (groupCpuUs(pgid) - before) / result.requests };
}
