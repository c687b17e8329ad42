import type { FastifyInstance, FastifyPluginAsync, FastifyPluginCallback, FastifyServerOptions } from 'fastify';
import type { Settings, SocketTimeouts } from '../config/index.js';
import type { MountedModule } from '../modules.js';
import type { TokenVerifier } from './auth/token-verifier.js';
import type { Step } from './steps.js';

/** What a concern's parts may depend on: settings known when the app is built. */
export interface ConcernSettings extends Pick<Settings, 'accessLog' | 'bodyLimitBytes' | 'corsOrigins'> {
  readonly timeouts: SocketTimeouts;
  /** Who checks tokens: a verifier, `disabled`, or nobody (routes that declare scopes then refuse every request). */
  readonly verifier: TokenVerifier | 'disabled' | undefined;
  /** The modules mounted, for the API document. */
  readonly modules: readonly MountedModule[];
}

/** The Fastify constructor's options may depend on every answer's steps too: answers given before routing need them. */
export interface ServerOptionSettings extends ConcernSettings {
  readonly steps: readonly Step[];
}

/** One concern's options of the Fastify constructor: what must be decided before there is an app. */
export type ServerOption = (settings: ServerOptionSettings) => Partial<FastifyServerOptions>;
/** One concern's work on every answer (steps.ts says how steps run), from the settings it names. */
export type StepFactory<Needs extends keyof ConcernSettings = never> = (settings: Pick<ConcernSettings, Needs>) => Step;

/**
 * One concern of the host (CORS, HEAD requests, request ids, errors, …), in a folder of its own
 * whose index.ts default-exports it, its parts by the phase each acts in: options of the Fastify
 * constructor; a step of every answer, run in one of the two synchronous hooks (steps.ts); a
 * plugin, registered before any route, so that it sees every route as it registers. concerns.ts
 * lists them in order.
 */
export interface Concern {
  readonly serverOptions?: ServerOption;
  readonly step?: StepFactory<keyof ConcernSettings>;
  readonly plugin?: FastifyPluginAsync<ConcernSettings> | FastifyPluginCallback<ConcernSettings>;
}

/** Every concern's options, merged (no two concerns set the same option). */
export function serverOptionsOf(concerns: readonly Concern[], settings: ServerOptionSettings): FastifyServerOptions {
  return Object.assign({}, ...concerns.map((concern) => concern.serverOptions?.(settings)));
}

/** Every concern's step, in the concerns' order. */
export function stepsOf(concerns: readonly Concern[], settings: ConcernSettings): Step[] {
  return concerns.flatMap((concern) => (concern.step ? [concern.step(settings)] : []));
}

/** Every concern's plugin, registered in the concerns' order. */
export async function registerPlugins(
  app: FastifyInstance,
  concerns: readonly Concern[],
  settings: ConcernSettings,
): Promise<void> {
  for (const { plugin } of concerns) if (plugin) await app.register(plugin, settings);
}
