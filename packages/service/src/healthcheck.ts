import { loadConfig } from './config/index.js';

/**
 * The image's HEALTHCHECK: asks /healthz on loopback, on the port the service was configured
 * with, and exits 0 when it answers 200. Node's own fetch: the runtime image has no curl or shell.
 */
try {
  const { port } = loadConfig(process.env);
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
  process.exitCode = response.ok ? 0 : 1;
} catch {
  process.exitCode = 1;
}
