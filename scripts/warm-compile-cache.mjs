// Run once while the image is built (Dockerfile), on the image's own Node.js and as its user:
// starts the bundled service with NODE_COMPILE_CACHE set, asks it every contract route and
// /docs/ (so Swagger UI, loaded when first needed, is compiled too), runs the health check, then
// stops the service with SIGTERM. On their way out both processes write what they compiled into
// the cache directory, which is read-only when the image runs: Node's compile cache, and the
// service's own code cache with every function compiled by then (scripts/service-entry.mjs).
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const cache = process.env.NODE_COMPILE_CACHE;
if (!cache) throw new Error('NODE_COMPILE_CACHE must name the directory to fill');
const port = 5999;
const service = spawn(process.execPath, ['dist/main.mjs'], {
  env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
  stdio: 'inherit',
});
const deadline = Date.now() + 30_000;
for (const path of ['/', '/Kalimaha/', '/blueprint/', '/blueprint/Kalimaha/', '/docs/']) {
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}${path}`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`the service did not answer ${path} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
// The image's HEALTHCHECK runs every few seconds: its script is cached too.
const healthcheck = spawn(process.execPath, ['dist/healthcheck.mjs'], {
  env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
  stdio: 'inherit',
});
const [healthy] = await once(healthcheck, 'exit');
if (healthy !== 0) throw new Error(`the health check exited ${healthy}`);
service.kill('SIGTERM');
const [code] = await once(service, 'exit');
if (code !== 0) throw new Error(`the service exited ${code}`);
console.log(`compile cache written to ${cache}`);
