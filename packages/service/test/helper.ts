import { Writable } from 'node:stream';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { configSchema } from '../src/config.js';
import { loadModules, parseModuleList } from '../src/modules.js';
import { type AppOptions, buildApp } from '../src/rest/app.js';

export interface TestAppOptions extends Omit<AppOptions, 'modules'> {
  /** A MODULES value; the service's default when omitted. */
  readonly moduleList?: string;
}

/** Builds the app as main.ts does, without listening, and closes it when the test ends. */
export async function buildTestApp(t: TestContext, options: TestAppOptions = {}): Promise<FastifyInstance> {
  const { moduleList = configSchema.properties.MODULES.default, ...appOptions } = options;
  const app = await buildApp({ ...appOptions, modules: await loadModules(parseModuleList(moduleList)) });
  t.after(() => app.close());
  return app;
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
