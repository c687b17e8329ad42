import { Writable } from 'node:stream';
import type { TestContext } from 'node:test';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { waitFor } from '@simple-rest/testing';
import type { FastifyInstance, FastifyPluginCallback, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import pino from 'pino';
import { parseModuleList, SERVICE_SETTINGS } from '../../src/config/index.js';
import { resolveModules } from '../../src/modules.js';
import { type AppOptions, buildApp } from '../../src/rest/app.js';

export interface TestAppOptions extends Omit<AppOptions, 'modules'> {
  /** A MODULES value; the service's default when omitted. */
  readonly moduleList?: string;
}

/** Builds the app as main.ts does, without listening, and closes it when the test ends. */
export async function buildTestApp(t: TestContext, options: TestAppOptions = {}): Promise<FastifyInstance> {
  const { moduleList = SERVICE_SETTINGS.MODULES.default, ...appOptions } = options;
  const app = await buildApp({ ...appOptions, modules: await resolveModules(parseModuleList(moduleList), {}) });
  t.after(() => app.close());
  return app;
}

/**
 * An instrumentation plugin (AppOptions.instrumentation) that records every route as it
 * registers: its URL then (Fastify later reuses a prefix root's options for `/x/`), and its
 * options object, which the hooks of later plugins complete.
 */
export function recordingRoutes(): { plugin: FastifyPluginCallback; routes: { url: string; options: RouteOptions }[] } {
  const routes: { url: string; options: RouteOptions }[] = [];
  const plugin = fp((app, _options, done) => {
    app.addHook('onRoute', (options) => {
      routes.push({ url: options.url, options });
    });
    done();
  });
  return { plugin, routes };
}

/** A pino logger whose JSON lines the test can read back. */
export function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Overload as it looks from inside: the loop keeps turning, but every turn lags by `lagMs`. */
export function lagEventLoop(lagMs: number): { stop: () => void } {
  let running = true;
  void (async () => {
    while (running) {
      const until = Date.now() + lagMs;
      while (Date.now() < until) {
        // busy, as a saturated process is
      }
      await yieldToLoop();
    }
  })();
  return {
    stop: () => {
      running = false;
    },
  };
}

/** Asks `url` every 100 ms, at most `attempts` times, until it answers `status`; undefined if it never does. */
export function pollUntil(app: FastifyInstance, url: string, status: number, attempts: number) {
  return waitFor(
    async () => {
      const res = await app.inject({ url });
      return res.statusCode === status && res;
    },
    { what: `${url} answers ${status}`, intervalMs: 100, timeoutMs: attempts * 100 },
  ).catch(() => undefined);
}
