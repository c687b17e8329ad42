// Vary names every request header that a response's headers or body depend on, so a shared
// cache never serves one origin's or one representation's answer to another client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestAsIs } from '@simple-rest/testing';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/index.js';
import { buildTestApp, lagEventLoop, pollUntil } from '../support/app.js';

const LISTED = 'https://a.example,https://b.example';
const ORIGINS = [undefined, 'https://a.example', 'https://evil.example'] as const;
const ACCEPTS = [undefined, 'application/json', 'text/plain'] as const;

/** A path, the status it answers, and whether its body is negotiated on Accept. */
interface Answer {
  readonly path: string;
  readonly status: number;
  readonly negotiated: boolean;
}

const ANSWERS: readonly Answer[] = [
  { path: '/Kalimaha/', status: 200, negotiated: true },
  { path: '/blueprint/', status: 200, negotiated: true },
  { path: '/healthz', status: 200, negotiated: false },
  { path: '/Kalimaha', status: 308, negotiated: false },
  { path: `/${'a'.repeat(101)}/`, status: 400, negotiated: false },
  { path: '/a/b/c', status: 404, negotiated: false },
];

type Ask = (path: string, headers: Record<string, string>) => Promise<{ statusCode: number; headers: object }>;

function expectedVary(corsOrigins: string, negotiated: boolean): string | undefined {
  const fields = [...(corsOrigins === '*' ? [] : ['Origin']), ...(negotiated ? ['Accept'] : [])];
  return fields.length === 0 ? undefined : fields.join(', ');
}

function expectedAllowOrigin(corsOrigins: string, origin: string | undefined): string | undefined {
  if (corsOrigins === '*') return '*';
  return origin !== undefined && corsOrigins.split(',').includes(origin) ? origin : undefined;
}

async function checkEveryCombination(ask: Ask, corsOrigins: string, answers: readonly Answer[]) {
  for (const { path, status, negotiated } of answers) {
    for (const origin of ORIGINS) {
      for (const accept of ACCEPTS) {
        const headers = { ...(origin && { origin }), ...(accept && { accept }) };
        const res = await ask(path, headers);
        const headersOf = res.headers as Record<string, unknown>;
        const what = `${path} with ${JSON.stringify(headers)}, CORS_ORIGINS=${corsOrigins}`;
        assert.equal(res.statusCode, status, what);
        assert.equal(headersOf.vary, expectedVary(corsOrigins, negotiated), what);
        assert.equal(headersOf['access-control-allow-origin'], expectedAllowOrigin(corsOrigins, origin), what);
      }
    }
  }
}

const injecting =
  (app: FastifyInstance): Ask =>
  (url, headers) =>
    app.inject({ url, headers });

for (const corsOrigins of ['*', LISTED]) {
  test(`CORS_ORIGINS=${corsOrigins}: Vary on every route and status, in-process`, async (t) => {
    const app = await buildTestApp(t, { corsOrigins: loadConfig({ CORS_ORIGINS: corsOrigins }).corsOrigins });
    await checkEveryCombination(injecting(app), corsOrigins, ANSWERS);
  });

  test(`CORS_ORIGINS=${corsOrigins}: Vary on every route and status, over a real socket`, async (t) => {
    const app = await buildTestApp(t, { corsOrigins: loadConfig({ CORS_ORIGINS: corsOrigins }).corsOrigins });
    const origin = await app.listen({ host: '127.0.0.1', port: 0 });
    await checkEveryCombination((path, headers) => requestAsIs(origin, path, { headers }), corsOrigins, ANSWERS);
  });

  test(`CORS_ORIGINS=${corsOrigins}: Vary on 503, shed and draining`, async (t) => {
    const app = await buildTestApp(t, {
      corsOrigins: loadConfig({ CORS_ORIGINS: corsOrigins }).corsOrigins,
      maxEventLoopDelayMs: 20,
    });
    await app.ready();
    const lag = lagEventLoop(60);
    t.after(() => lag.stop());
    assert.ok(await pollUntil(app, '/Kalimaha/', 503, 40), 'greetings are shed under lag');
    await checkEveryCombination(injecting(app), corsOrigins, [{ path: '/Kalimaha/', status: 503, negotiated: false }]);
    lag.stop();
    app.readiness.draining = true;
    await checkEveryCombination(injecting(app), corsOrigins, [{ path: '/readyz', status: 503, negotiated: false }]);
  });
}
