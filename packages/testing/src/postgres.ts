import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.js';

/** A PostgreSQL server of a test's own, on loopback, that the test may stop and start again. */
export interface PostgresServer {
  /** `postgres://postgres[:password]@127.0.0.1:<port>/postgres`: loopback only. */
  readonly url: string;
  /** Stops the server, as a database outage would (fast shutdown: sessions are cut). */
  stop(): void;
  /** Starts it again on the same port, with the same data. */
  start(): void;
  /** Stops it and removes its files. */
  remove(): void;
}

export interface PostgresOptions {
  /** The `postgres` user's password, checked (scram-sha-256) on every TCP connection; none checked when omitted. */
  readonly password?: string;
}

/** Where Debian's postgresql package (or any) keeps initdb and pg_ctl; undefined when it is not installed. */
function findBinDir(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' }).stdout.trim();
  if (onPath !== '') return onPath.replace(/\/pg_ctl$/, '');
  const debian = '/usr/lib/postgresql';
  if (!existsSync(debian)) return undefined;
  const [newest] = readdirSync(debian)
    .filter((version) => existsSync(join(debian, version, 'bin/pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return newest === undefined ? undefined : join(debian, newest, 'bin');
}

/**
 * Starts a throwaway PostgreSQL with initdb and pg_ctl, listening on 127.0.0.1 only, without
 * fsync (a test's data need not survive a power cut). As root it runs as the `postgres` user,
 * since PostgreSQL refuses root. Resolves to undefined when PostgreSQL is not installed: the
 * caller decides whether that skips or fails.
 */
export async function startPostgres({ password }: PostgresOptions = {}): Promise<PostgresServer | undefined> {
  const bin = findBinDir();
  if (bin === undefined) return undefined;
  const directory = mkdtempSync(join(tmpdir(), 'simple-rest-postgres-'));
  const data = join(directory, 'data');
  const asRoot = process.getuid?.() === 0;
  const ids = (): [number, number] => [
    Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
    Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
  ];
  if (asRoot) chownSync(directory, ...ids());
  const command = (name: string, ...args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, name), ...args]] : [join(bin, name), args];
  const run = (name: string, ...args: string[]) => execFileSync(...command(name, ...args), { stdio: 'pipe' });
  const port = await freePort();
  const auth = ['--auth=trust'];
  if (password !== undefined) {
    // Connections over TCP check the password (scram-sha-256); the socket the helper uses does not.
    const passwordFile = join(directory, 'password');
    writeFileSync(passwordFile, password);
    if (asRoot) chownSync(passwordFile, ...ids());
    auth.push('--auth-host=scram-sha-256', `--pwfile=${passwordFile}`);
  }
  run('initdb', '-D', data, '-U', 'postgres', ...auth, '-E', 'UTF8', '--no-sync');
  const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = () => void run('pg_ctl', '-D', data, '-o', options, '-l', join(directory, 'log'), '-w', 'start');
  const stop = () => void run('pg_ctl', '-D', data, '-m', 'fast', '-w', 'stop');
  start();
  return {
    url: `postgres://postgres${password === undefined ? '' : `:${encodeURIComponent(password)}`}@127.0.0.1:${port}/postgres`,
    start,
    stop,
    remove: () => {
      spawnSync(...command('pg_ctl', '-D', data, '-m', 'immediate', 'stop'), { stdio: 'ignore' });
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
