import { isRestModule, type Prefix, type RestModule } from '@simple-rest/module-contract';
import { type AppOptions, buildApp } from '@simple-rest/service';
import type { FastifyInstance } from 'fastify';

export interface MountOptions extends Omit<AppOptions, 'modules'> {
  /** Where to mount the module; its defaultPrefix when omitted. */
  readonly prefix?: Prefix;
}

/**
 * The real host with only this module mounted, not listening: what a module's route tests
 * inject() into, so they see exactly what the service will serve. Load shedding is off unless
 * asked for: inject() keeps the event loop busy, which would read as overload at random.
 */
export async function mountModule(module: RestModule, options: MountOptions = {}): Promise<FastifyInstance> {
  if (!isRestModule(module)) throw new TypeError('mountModule takes a RestModule (see defineModule)');
  const { prefix = module.defaultPrefix, ...appOptions } = options;
  const app = await buildApp({ maxEventLoopDelayMs: 0, ...appOptions, modules: [{ module, prefix }] });
  await app.ready();
  return app;
}
