// The servers `npm run bench` measures, side by side. Each answers the four contract routes with
// the contract's bodies (test/bench/servers.test.ts checks every one before a run can trust it).
import { spawnSync } from 'node:child_process';

export interface BenchServer {
  readonly name: string;
  /** The command; `$PORT` in it (and `$OTLP` in env, the bench's span receiver) is replaced when it starts. */
  readonly command: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Run as this uid and gid (the image's user), when the bench runs as root. */
  readonly user?: number;
}

export const SERVICE_BUNDLE = 'packages/service/bundle/dist/main.mjs';
/** Every ratio is to this server: bare node:http writing the service's answers byte for byte. */
export const CEILING = 'node:http, same bytes (ceiling)';

/**
 * The V8 flags the image starts the service with (the Dockerfile's CMD, held to this by
 * test/image-files.test.ts): a young generation of at most 4 MB a half, which keeps the peak RSS
 * under load near the ceiling's (docs/benchmarks.md).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
/** The service's bundle run as the image runs it, on this machine's Node.js. */
export const serviceCommand = (main: string): string[] => [process.execPath, ...SERVICE_NODE_FLAGS, main];

const node = (script: string, env?: Record<string, string>): Pick<BenchServer, 'command' | 'env'> => ({
  command: [process.execPath, script],
  ...(env && { env }),
});
/** The server twice: `ACCESS_LOG=off` and `on`; `command` runs the script (plain node by default). */
export const withAccessLog = (
  name: string,
  script: string,
  command: (script: string) => readonly string[] = (main) => [process.execPath, main],
): BenchServer[] =>
  (['off', 'on'] as const).map((accessLog) => ({
    name: `${name}, ACCESS_LOG=${accessLog}`,
    command: command(script),
    env: { ACCESS_LOG: accessLog },
  }));

/** The Node.js servers: the ceiling, the framework floors, the service and its equal-feature peers. */
export const NODE_SERVERS: readonly BenchServer[] = [
  { name: CEILING, ...node('bench/servers/node-http-same-bytes.mjs') },
  { name: 'node:http, bare', ...node('bench/servers/node-http.mjs') },
  ...withAccessLog('simple-rest', SERVICE_BUNDLE, serviceCommand),
  {
    name: 'simple-rest, ACCESS_LOG=off, tracing on (100 %)',
    command: serviceCommand(SERVICE_BUNDLE),
    // $OTLP: the bench's own OTLP/HTTP receiver, which takes every span and keeps none.
    env: { ACCESS_LOG: 'off', OTEL_EXPORTER_OTLP_ENDPOINT: '$OTLP' },
  },
  { name: 'Fastify 5, same headers (floor)', ...node('bench/servers/fastify-same-headers.mjs') },
  { name: 'Fastify 5, no plugins', ...node('bench/servers/fastify.mjs') },
  ...withAccessLog('Fastify 5, same features', 'bench/servers/fastify-features.mjs'),
  ...withAccessLog('Hono 4, same features', 'bench/servers/hono-features.mjs'),
  ...withAccessLog('Express 5, same features', 'bench/servers/express-features.mjs'),
];

const python = '/usr/bin/python3';
/** The tutorial's Flask app, when Debian's python3-flask and gunicorn are installed. */
export function flaskServers(): BenchServer[] {
  if (spawnSync(python, ['-c', 'import flask'], { stdio: 'ignore' }).status !== 0) return [];
  return [
    { name: 'Flask dev server (debug)', command: [python, 'flask_app.py'], cwd: 'bench/servers' },
    {
      name: 'Flask on gunicorn (1 worker)',
      command: ['/usr/bin/gunicorn', '--workers', '1', '--bind', '127.0.0.1:$PORT', 'flask_app:app'],
      cwd: 'bench/servers',
    },
  ];
}
