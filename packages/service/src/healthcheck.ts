/**
 * The image's HEALTHCHECK: asks /healthz on loopback and exits 0 when it answers 200.
 * Node's own fetch, because the runtime image has neither curl nor a shell.
 */
const port = process.env.PORT ?? '5000';
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
  process.exitCode = response.ok ? 0 : 1;
} catch {
  process.exitCode = 1;
}
