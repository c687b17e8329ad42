// `--image TAG`: the image's entry point measured on this machine beside the other servers.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchServer } from './servers.js';

/**
 * The image's entry point on the image's own Node.js: its node binary and /app copied out of the
 * image, run here like the other servers (a container adds its own start-up, not the service's).
 */
export function imageServers(tag: string): BenchServer[] {
  const docker = process.env.DOCKER ?? 'docker';
  const dir = mkdtempSync(join(tmpdir(), 'bench-image-'));
  chmodSync(dir, 0o755); // readable by the image's user
  const container = execFileSync(docker, ['create', tag], { encoding: 'utf8' }).trim();
  try {
    execFileSync(docker, ['cp', `${container}:/nodejs/bin/node`, join(dir, 'node')]);
    execFileSync(docker, ['cp', `${container}:/app`, join(dir, 'app')]);
    const config = (field: string) =>
      JSON.parse(execFileSync(docker, ['inspect', '--format', `{{json .Config.${field}}}`, tag], { encoding: 'utf8' }));
    const env = config('Env') as string[];
    const cmd = config('Cmd') as string[];
    const imageEnv = Object.fromEntries(env.map((pair) => pair.split(/=(.*)/s, 2) as [string, string]));
    const version = execFileSync(join(dir, 'node'), ['--version'], { encoding: 'utf8' }).trim();
    const cache = imageEnv.NODE_COMPILE_CACHE?.replace(/^\/app/, join(dir, 'app'));
    // Node reads a compile cache only as the uid that wrote it: the image's user.
    const user = Number(
      execFileSync(docker, ['run', '--rm', '--entrypoint', '/nodejs/bin/node', tag, '-p', 'process.getuid()'], {
        encoding: 'utf8',
      }),
    );
    // docker cp hands the files to root; the cache's entries must be its writer's (mode 0600).
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', `${user}:${user}`, dir]);
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const entry = { command: [join(dir, 'node'), ...cmd], cwd: join(dir, 'app'), user };
    return [
      {
        name: `image entry, Node ${version}`,
        ...entry,
        env: {
          ACCESS_LOG: 'off',
          ...(cache && { NODE_COMPILE_CACHE: cache }),
          ...(imageEnv.NODE_COMPILE_CACHE_PORTABLE && {
            NODE_COMPILE_CACHE_PORTABLE: imageEnv.NODE_COMPILE_CACHE_PORTABLE,
          }),
        },
      },
      ...(cache
        ? [
            {
              name: `image entry, Node ${version}, no compile cache`,
              ...entry,
              env: { ACCESS_LOG: 'off', NODE_DISABLE_COMPILE_CACHE: '1' },
            },
          ]
        : []),
    ];
  } finally {
    execFileSync(docker, ['rm', container], { stdio: 'ignore' });
  }
}
