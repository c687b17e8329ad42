import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectionShare } from '../../src/platform/database/share.js';

test("a module's share: at most the limit at once, the rest in order, a failure frees its slot", async () => {
  const share = connectionShare(2);
  let active = 0;
  let most = 0;
  const started: number[] = [];
  const releases: (() => void)[] = [];
  const use = async (id: number, fail = false) => {
    const turn = share.enter();
    if (turn) await turn;
    try {
      started.push(id);
      active += 1;
      most = Math.max(most, active);
      await new Promise<void>((resolve) => releases.push(resolve));
      active -= 1;
      if (fail) throw new Error(`use ${id} failed`);
      return id;
    } finally {
      share.leave();
    }
  };
  // Each outcome read as it comes, so the failure is never an unhandled rejection.
  const uses = [use(1, true), use(2), use(3), use(4), use(5)].map((used) =>
    used.then(
      (value) => value,
      (error: Error) => error.message,
    ),
  );
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(started, [1, 2]);
  while (releases.length > 0) {
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.deepEqual(await Promise.all(uses), ['use 1 failed', 2, 3, 4, 5]);
  assert.deepEqual(started, [1, 2, 3, 4, 5]);
  assert.equal(most, 2);
});
