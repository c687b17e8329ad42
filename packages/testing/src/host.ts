import { isRestModule, type Prefix, type RestModule } from '@simple-rest/module-contract';
import { type AppOptions, buildApp, resolveModules, scopesWithoutVerifier } from '@simple-rest/service';
import type { FastifyInstance } from 'fastify';

export interface MountOptions extends Omit<AppOptions, 'modules'> {
  /** Where to mount the module; its defaultPrefix when omitted. */
  readonly prefix?: Prefix;
  /** The environment its settings are read from, as the service reads process.env; none set when omitted. */
  readonly settings?: Readonly<Record<string, string>>;
}

/**
 * The real host with only this module mounted, not listening: what a module's route tests
 * inject() into, so they see exactly what the service will serve. Each call makes a new
 * instance of a module with create(). Settings are validated as at start-up: a bad one throws
 * the service's one-line error. Load shedding is off unless asked for: inject() keeps the event
 * loop busy, which would read as overload at random. A module whose routes declare scopes needs
 * `auth`, as the service needs AUTH_ISSUER: `testIssuer().auth`, or `'disabled'` to call them
 * without tokens; without either it is refused, as the service refuses to start.
 */
export async function mountModule(module: RestModule, options: MountOptions = {}): Promise<FastifyInstance> {
  if (!isRestModule(module)) throw new TypeError('mountModule takes a RestModule (see defineModule)');
  const { prefix = module.defaultPrefix, settings = {}, ...appOptions } = options;
  const app = await buildApp({
    maxEventLoopDelayMs: 0,
    ...appOptions,
    // Mounted as the service mounts a package MODULES names: the same checks of prefix and settings.
    modules: await resolveModules([{ packageName: module.name, prefix }], settings, {
      importer: async () => ({ default: module }),
      readManifest: () => ({}),
    }),
  });
  await app.ready();
  const unguarded = appOptions.auth === undefined ? scopesWithoutVerifier(app) : undefined;
  if (unguarded !== undefined) {
    await app.close();
    throw new TypeError(
      `"${unguarded.owner}" has routes that need scopes (${unguarded.scopes}): pass auth to mountModule (testIssuer().auth), or auth: 'disabled' to call them without tokens`,
    );
  }
  return app;
}
