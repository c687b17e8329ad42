import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONTRACT } from '../support/contract.js';
import { runToExit, startService } from '../support/process.js';

test('the real entry point serves the contract over HTTP and exits 0 on SIGTERM', async (t) => {
  const service = await startService();
  t.after(() => service.child.kill('SIGKILL'));
  for (const [path, body] of CONTRACT) {
    const res = await fetch(`${service.url}${path}`);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8', path);
    assert.equal(res.headers.get('access-control-allow-origin'), '*', path);
    assert.equal(await res.text(), body, path);
  }
  const redirect = await fetch(`${service.url}/blueprint/Kalimaha?x=1`, { redirect: 'manual' });
  assert.equal(redirect.status, 308);
  assert.equal(redirect.headers.get('location'), '/blueprint/Kalimaha/?x=1');
  const missing = await fetch(`${service.url}/a/b/c`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('content-type'), 'application/problem+json; charset=utf-8');

  service.child.kill('SIGTERM');
  assert.equal(await service.exited, 0);
  assert.ok(service.logs.some((line) => line.msg === 'request completed'));
  // The steps, in the order their timestamps give (the asynchronous log destination may
  // write two lines of the same millisecond out of order).
  const steps = [
    'signal received',
    'shutting down: readiness off',
    'closing: no new connections, finishing requests in flight',
    'closed',
  ];
  const times = steps.map((step) => service.logs.find((line) => line.msg === step)?.time as number);
  for (const [index, time] of times.entries()) assert.equal(typeof time, 'number', steps[index]);
  assert.deepEqual(
    times,
    times.toSorted((a, b) => a - b),
  );
});

test('during SHUTDOWN_DELAY_MS readiness is 503 while greetings are still served', async (t) => {
  const service = await startService({ SHUTDOWN_DELAY_MS: '1500' });
  t.after(() => service.child.kill('SIGKILL'));
  assert.equal((await fetch(`${service.url}/readyz`)).status, 200);
  service.child.kill('SIGTERM');
  await sleep(200);
  const readiness = await fetch(`${service.url}/readyz`);
  assert.equal(readiness.status, 503);
  assert.deepEqual(await readiness.json(), { status: 'draining' });
  const greeting = await fetch(`${service.url}/blueprint/`);
  assert.equal(greeting.status, 200);
  assert.equal(await greeting.text(), 'Hallo!');
  assert.equal(await service.exited, 0);
});

test('a shutdown longer than SHUTDOWN_TIMEOUT_MS exits 1', async (t) => {
  const service = await startService({ SHUTDOWN_DELAY_MS: '30000', SHUTDOWN_TIMEOUT_MS: '300' });
  t.after(() => service.child.kill('SIGKILL'));
  service.child.kill('SIGTERM');
  assert.equal(await service.exited, 1);
});

test('a second signal exits at once, non-zero', async (t) => {
  const service = await startService({ SHUTDOWN_DELAY_MS: '30000', SHUTDOWN_TIMEOUT_MS: '60000' });
  t.after(() => service.child.kill('SIGKILL'));
  service.child.kill('SIGTERM');
  await sleep(200);
  service.child.kill('SIGINT');
  const code = await service.exited;
  assert.notEqual(code, 0);
});

for (const [fault, injected] of [
  ['an uncaught exception', 'throw new Error("injected fault")'],
  ['an unhandled rejection', 'Promise.reject(new Error("injected fault"))'],
] as const) {
  test(`${fault} is logged as fatal and the process exits 1`, async (t) => {
    // A preload that faults from a signal listener, on cue, once the service listens.
    const preload = `data:text/javascript,process.on("SIGWINCH", () => { ${injected} })`;
    const service = await startService({}, ['--import', preload]);
    t.after(() => service.child.kill('SIGKILL'));
    service.child.kill('SIGWINCH');
    assert.equal(await service.exited, 1);
    const fatal = service.logs.find((line) => line.level === 60);
    assert.equal(fatal?.msg, 'uncaught error, exiting');
    assert.equal((fatal?.err as { message?: string } | undefined)?.message, 'injected fault');
  });
}

test('invalid configuration stops start-up with one line and exit 1, before listening', async () => {
  const { code, stdout, stderr } = await runToExit({ PORT: '5000', ACCESS_LOG: 'sometimes' });
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.equal(stderr, 'Invalid configuration: ACCESS_LOG="sometimes" is not allowed: expected on or off\n');
});

test('secure by default: a module with routes that need scopes and no AUTH_ISSUER stops start-up with one line naming it', async () => {
  const { code, stderr } = await runToExit({ MODULES: '@simple-rest/blueprint,@simple-rest/notes' });
  assert.equal(code, 1);
  assert.equal(
    stderr,
    'Invalid configuration: "@simple-rest/notes" has routes that need scopes (notes:read, notes:write): set AUTH_ISSUER and AUTH_AUDIENCE, or AUTH_DISABLED=true for local development\n',
  );
});

test('AUTH_DISABLED=true serves them without a token, with a warning at every start', async (t) => {
  const service = await startService({ MODULES: '@simple-rest/notes', AUTH_DISABLED: 'true' });
  t.after(() => service.child.kill('SIGKILL'));
  const warning = service.logs.find((line) => String(line.msg).startsWith('AUTH_DISABLED=true'));
  assert.equal(warning?.level, 40);
  assert.equal(
    warning?.msg,
    'AUTH_DISABLED=true: routes that need scopes are served without a token; for local development only',
  );
});

test('a module that is not installed stops start-up with one line and exit 1', async () => {
  const { code, stderr } = await runToExit({ MODULES: '@simple-rest/blueprint,@acme/missing=/acme' });
  assert.equal(code, 1);
  assert.equal(stderr, 'Invalid configuration: MODULES names "@acme/missing", which is not installed\n');
});
