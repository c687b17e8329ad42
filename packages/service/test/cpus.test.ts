import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cgroupCpuLimit, workerCount } from '../src/cpus.js';

const files = (contents: Record<string, string>) => (path: string) => contents[path];

test('cgroup v2: the quota over the period, rounded up; "max" is no limit', () => {
  assert.equal(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': '200000 100000\n' })), 2);
  assert.equal(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' })), 2);
  assert.equal(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': '50000 100000\n' })), 1);
  assert.equal(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' })), undefined);
});

test('cgroup v1: cfs_quota_us over cfs_period_us; -1 is no limit', () => {
  const v1 = (quota: string) =>
    files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': quota, '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' });
  assert.equal(cgroupCpuLimit(v1('300000\n')), 3);
  assert.equal(cgroupCpuLimit(v1('-1\n')), undefined);
  assert.equal(cgroupCpuLimit(files({})), undefined);
});

test('WEB_CONCURRENCY: a number is taken as is; auto is the smaller of the quota and the CPUs available', () => {
  assert.equal(workerCount('3', 1, 8), 3);
  assert.equal(workerCount('auto', 2, 8), 2);
  assert.equal(workerCount('auto', 16, 4), 4);
  assert.equal(workerCount('auto', undefined, 4), 4);
  assert.equal(workerCount('auto', undefined, 1), 1);
});
