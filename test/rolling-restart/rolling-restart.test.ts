// A rolling restart behind nginx loses no request. Two instances of the real entry point run
// on loopback behind nginx while bounded load runs through it; each instance is replaced the
// way a Kubernetes rolling update with maxSurge 1 does it: start the new one and wait for its
// readiness, add it, take the old one out of rotation (endpoint removal), pause (preStop),
// SIGTERM it (it drains: readiness 503, SHUTDOWN_DELAY_MS, close), and wait for exit 0.
// Without nginx the suite skips with one line, unless REQUIRE_NGINX=1 (CI).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@simple-rest/testing';
import { type RunningService, startService } from '../../packages/service/test/support/process.js';

const NGINX = '/usr/sbin/nginx';
const nginxInstalled = existsSync(NGINX);
if (!nginxInstalled && process.env.REQUIRE_NGINX === '1') throw new Error(`REQUIRE_NGINX=1 but ${NGINX} is missing`);

const CLIENTS = 8;
const MAX_REQUESTS = 200_000;
const MAX_LOAD_MS = 60_000;

interface RetryStats {
  /** On a kept-alive connection nginx closed just as the request was sent. */
  reused: number;
  /** On a new connection nginx's retiring worker had accepted but not yet read. */
  fresh: number;
}

/**
 * GET through a keep-alive agent. When nginx reloads, its old worker closes the client
 * connections it holds idle: those kept alive between requests, and those it had accepted
 * but not yet read from. A request sent on one fails with ECONNRESET before any answer;
 * Node's docs, like browsers, retry that case for a reused connection, and this test retries
 * it once on a new connection either way. It cannot hide a lost request: clients talk only to
 * nginx, which answers 502 when an upstream fails. Any other failure, and every non-200
 * answer, counts.
 */
async function getText(url: string, agent: Agent, stats: RetryStats): Promise<{ status: number; body: string }> {
  try {
    return await getOnce(url, agent);
  } catch (error) {
    const { code, answered, reusedSocket } = error as NodeJS.ErrnoException & SentRequest;
    // Only before any answer: a connection cut mid-answer is a failure, whatever its code.
    if (code !== 'ECONNRESET' || answered !== false) throw error;
    if (reusedSocket) stats.reused++;
    else stats.fresh++;
    return getOnce(url, false);
  }
}

/** What a failed request's error carries: whether its connection was kept alive, and answered. */
interface SentRequest {
  reusedSocket?: boolean;
  answered?: boolean;
}

function getOnce(url: string, agent: Agent | false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = get(url, { agent }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket, answered })));
  });
}

/** nginx as a reverse proxy, in a prefix of its own, reconfigured by SIGHUP. */
class NginxProxy {
  readonly #prefix = mkdtempSync(join(tmpdir(), 'simple-rest-nginx-'));
  #master: ChildProcess | undefined;

  constructor(readonly port: number) {}

  configure(upstreams: readonly string[]): void {
    writeFileSync(
      join(this.#prefix, 'nginx.conf'),
      `daemon off;
worker_processes 1;
pid ${this.#prefix}/nginx.pid;
error_log ${this.#prefix}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${this.#prefix}/body;
  proxy_temp_path ${this.#prefix}/proxy;
  fastcgi_temp_path ${this.#prefix}/fastcgi;
  uwsgi_temp_path ${this.#prefix}/uwsgi;
  scgi_temp_path ${this.#prefix}/scgi;
  upstream simple_rest {
    ${upstreams.map((upstream) => `server ${upstream};`).join('\n    ')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${this.port};
    location / {
      proxy_pass http://simple_rest;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # An idempotent GET whose upstream connection closes under it is retried elsewhere.
      proxy_next_upstream error timeout;
    }
  }
}
`,
    );
    if (this.#master) this.#master.kill('SIGHUP');
  }

  async start(): Promise<void> {
    this.#master = spawn(NGINX, ['-p', this.#prefix, '-c', join(this.#prefix, 'nginx.conf')], { stdio: 'inherit' });
    for (let attempt = 0; attempt < 100; attempt++) {
      if (
        await fetch(`http://127.0.0.1:${this.port}/healthz`).then(
          (res) => res.ok,
          () => false,
        )
      )
        return;
      await sleep(50);
    }
    throw new Error('nginx did not start');
  }

  async stop(): Promise<void> {
    this.#master?.kill('SIGQUIT');
    await sleep(200);
  }
}

test('a rolling restart behind nginx loses no request', {
  skip: nginxInstalled ? false : `${NGINX} is missing; skipped`,
}, async (t) => {
  const env = { SHUTDOWN_DELAY_MS: '1000', ACCESS_LOG: 'off' };
  const started: RunningService[] = [await startService(env), await startService(env)];
  t.after(() => {
    for (const instance of started) instance.child.kill('SIGKILL');
  });
  const upstream = (instance: RunningService) => new URL(instance.url).host;
  let live = [...started];
  const proxy = new NginxProxy(await freePort());
  proxy.configure(live.map(upstream));
  await proxy.start();
  t.after(() => proxy.stop());

  // Bounded load: CLIENTS keep-alive clients, until the restarts end, MAX_REQUESTS or MAX_LOAD_MS.
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const loadStarted = Date.now();
  let running = true;
  let served = 0;
  const failures: string[] = [];
  const stats: RetryStats = { reused: 0, fresh: 0 };
  const client = async () => {
    while (running && served + failures.length < MAX_REQUESTS && Date.now() - loadStarted < MAX_LOAD_MS) {
      try {
        const res = await getText(`http://127.0.0.1:${proxy.port}/blueprint/Kalimaha/`, agent, stats);
        if (res.status === 200 && res.body === 'Hallo Kalimaha!') served++;
        else failures.push(`${res.status} ${res.body}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  const load = Promise.all(Array.from({ length: CLIENTS }, client));

  await sleep(500);
  for (const old of [...live]) {
    const replacement = await startService(env);
    started.push(replacement);
    live = [...live.filter((instance) => instance !== old), replacement];
    proxy.configure(live.map(upstream));
    await sleep(500); // preStop: the endpoint removal reaches the proxy
    old.child.kill('SIGTERM');
    assert.equal(await old.exited, 0);
  }
  await sleep(500);
  running = false;
  await load;
  agent.destroy();

  const report = `rolling restart: ${served} requests served through nginx, ${failures.length} failed; retried once after nginx's reload closed the client connection: ${stats.reused} kept-alive, ${stats.fresh} new`;
  t.diagnostic(report);
  console.log(report);
  assert.deepEqual(failures.slice(0, 5), []);
  assert.ok(served > 100, `only ${served} requests were served`);
});
