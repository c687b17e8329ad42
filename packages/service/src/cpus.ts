import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

type ReadText = (path: string) => string | undefined;

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * How many CPUs the container's CFS quota allows, rounded up (cgroup v2, then v1), or
 * undefined when there is no quota. The host's CPU count says nothing about a container's share.
 */
export function cgroupCpuLimit(read: ReadText = readText): number | undefined {
  const cpuMax = read('/sys/fs/cgroup/cpu.max');
  if (cpuMax !== undefined) {
    const [quota, period] = cpuMax.trim().split(/\s+/);
    return quota === 'max' ? undefined : Math.ceil(Number(quota) / Number(period));
  }
  const quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
  const period = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
  return quota > 0 && period > 0 ? Math.ceil(quota / period) : undefined;
}

/** WEB_CONCURRENCY as a number of workers: `auto` is what both the quota and the CPU affinity allow. */
export function workerCount(setting: string, limit = cgroupCpuLimit(), available = availableParallelism()): number {
  if (setting !== 'auto') return Number(setting);
  return Math.max(1, Math.min(available, limit ?? available));
}
