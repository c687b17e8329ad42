// The job service in one process on the embedded database: a failing run retries with back-off,
// then stays dead; each outcome is in /metrics with the module and job, and in the log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineModule } from '@simple-rest/module-contract';
import { waitFor } from '@simple-rest/testing';
import { buildApp } from '../../src/rest/app.js';
import { capturingLogger } from '../support/app.js';

const failing = defineModule({
  packageJson: new URL('../../package.json', import.meta.url),
  defaultPrefix: '/failing',
  openapi: { tag: 'failing', description: 'A module whose job always fails' },
  jobs: { flaky: { timeoutMs: 5000, maxAttempts: 2 } },
  create: () => ({
    routes: async () => undefined,
    jobHandlers: {
      flaky: async () => {
        throw new Error('the remote end said no');
      },
    },
  }),
});

test('a run that fails is retried after a back-off, then left dead; metrics and log lines name the module and the job', async (t) => {
  const { logger, lines } = capturingLogger();
  const app = await buildApp({ modules: [{ module: failing, prefix: '/failing', settings: {} }], logger });
  t.after(() => app.close());
  await app.platform.prepare(app.log);
  await app.platform.jobs.queueFor(failing).enqueue('flaky', { n: 1 });
  app.platform.jobs.start();
  const state = () =>
    app.platform.database.host((db) =>
      db.query<{ state: string; attempts: number; last_error: string }>(
        'SELECT state, attempts, last_error FROM simple_rest.jobs',
      ),
    );
  await waitFor(async () => (await state())[0]?.state === 'dead', { what: 'the run to be dead', intervalMs: 100 });
  assert.deepEqual(await state(), [{ state: 'dead', attempts: 2, last_error: 'the remote end said no' }]);
  const runs = lines.filter((line) => line.job === 'flaky' && line.module === '@simple-rest/service');
  assert.deepEqual(
    runs.map((line) => line.msg),
    ['job failed', 'job failed for the last time: dead'],
  );
  assert.equal(runs[0]?.retryInMs, 1000);
  const exposition = await app.metricsRegistry.metrics();
  for (const outcome of ['failed', 'dead']) {
    assert.match(
      exposition,
      new RegExp(`^job_runs_total\\{module="@simple-rest/service",job="flaky",outcome="${outcome}"\\} 1$`, 'm'),
    );
  }
  assert.match(exposition, /^job_duration_seconds_count\{module="@simple-rest\/service",job="flaky"\} 2$/m);
  await assert.rejects(app.platform.jobs.queueFor(failing).enqueue('unknown'), /does not declare/);
});

test('with the embedded database, a run the process enqueues is claimed at once, not at the next look', async (t) => {
  let ran = 0;
  const oneOff = defineModule({
    packageJson: new URL('../../package.json', import.meta.url),
    defaultPrefix: '/one-off',
    openapi: { tag: 'one-off', description: 'A module with a job that only runs when enqueued' },
    jobs: { once: { timeoutMs: 5000 } },
    create: () => ({ routes: async () => undefined, jobHandlers: { once: async () => void ran++ } }),
  });
  const app = await buildApp({ modules: [{ module: oneOff, prefix: '/one-off', settings: {} }] });
  t.after(() => app.close());
  await app.platform.prepare(app.log);
  // The looks never come: only the enqueue itself can start the run.
  t.mock.timers.enable({ apis: ['setInterval'] });
  app.platform.jobs.start();
  await app.platform.jobs.queueFor(oneOff).enqueue('once');
  await waitFor(async () => ran === 1, { what: 'the enqueued run', intervalMs: 20 });
});
