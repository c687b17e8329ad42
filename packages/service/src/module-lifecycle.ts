import type { ModuleInstance, RestModule } from '@simple-rest/module-contract';
import type { FastifyBaseLogger } from 'fastify';
import type { MountedModule } from './modules.js';
import type { Platform } from './platform/index.js';

/** How long a module's ready() and close() may take before the host gives up on them. */
export interface LifecycleTimeouts {
  /** Below the Kubernetes probe's 2 s timeout, so /readyz itself answers 503 in time. */
  readonly readyMs: number;
  /** Well inside SHUTDOWN_TIMEOUT_MS's default of 10 s. */
  readonly closeMs: number;
}

export const LIFECYCLE_TIMEOUTS: LifecycleTimeouts = { readyMs: 1000, closeMs: 5000 };

export interface UnreadyModule {
  readonly name: string;
  readonly reason: string;
}

/** A module as one app holds it: its instance (routes, ready, close) and where it is mounted. */
export interface LiveModule {
  readonly module: RestModule;
  readonly prefixes: readonly string[];
  readonly instance: ModuleInstance;
  /** The host's check of the module's database schema, for a module that declares one. */
  readonly schemaReady: (() => Promise<void>) | undefined;
}

/**
 * Makes each module's instance for one app, once however many prefixes it is mounted at: a
 * module with create() gets a fresh one from its settings and a logger marked with its name;
 * one without shares its routes, ready() and close() with every app.
 */
export async function createInstances(
  modules: readonly MountedModule[],
  log: FastifyBaseLogger,
  platform: Platform,
): Promise<LiveModule[]> {
  const byModule = new Map<RestModule, { prefixes: string[]; mounted: MountedModule }>();
  for (const mounted of modules) {
    const entry = byModule.get(mounted.module) ?? { prefixes: [], mounted };
    entry.prefixes.push(mounted.prefix);
    byModule.set(mounted.module, entry);
  }
  const live: LiveModule[] = [];
  for (const [module, { prefixes, mounted }] of byModule) {
    const moduleLog = log.child({ module: module.name });
    const instance: ModuleInstance = module.create
      ? await module.create({ settings: mounted.settings, log: moduleLog, ...platform.contextFor(module, moduleLog) })
      : {
          routes: module.routes ?? noRoutes,
          ...(module.ready && { ready: module.ready }),
          ...(module.close && { close: module.close }),
        };
    platform.attach(module, instance, moduleLog);
    live.push({ module, prefixes, instance, schemaReady: platform.readinessOf(module) });
  }
  return live;
}

// isRestModule guarantees routes when there is no create(); this only satisfies the type.
const noRoutes = async () => undefined;

/** An error's message, and its cause's (the driver's words behind a 503), for the log. */
function whyOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause === undefined ? error.message : `${error.message}: ${whyOf(error.cause)}`;
}

/** Runs a module's hook for at most `ms`: undefined when it succeeds, else why it did not. */
async function settle(hook: () => Promise<void> | void, ms: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${ms} ms`), ms);
  });
  const outcome = Promise.resolve()
    .then(hook)
    .then(
      () => undefined,
      (error: unknown) => whyOf(error),
    );
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What /readyz tells any caller of a module that is not ready; why is in the log. */
export const NOT_READY = 'not ready: see the service log';

/** The modules whose ready() (or their database schema's check) throws or hangs, each logged as a warning. */
export async function findUnreadyModules(
  modules: readonly LiveModule[],
  log: FastifyBaseLogger,
  timeoutMs: number,
): Promise<UnreadyModule[]> {
  const checks = modules.map(async ({ module, prefixes, instance, schemaReady }) => {
    const ready = async () => {
      await schemaReady?.();
      await instance.ready?.();
    };
    const reason = (schemaReady ?? instance.ready) && (await settle(ready, timeoutMs));
    if (reason === undefined) return [];
    // The reason goes to the log only: a driver's message can name users and hosts.
    log.warn({ module: module.name, prefixes, reason }, 'module not ready');
    return [{ name: module.name, reason: NOT_READY }];
  });
  return (await Promise.all(checks)).flat();
}

/** Calls every instance's close() once, in parallel; one that throws or hangs is logged, not waited for past the limit. */
export async function closeModules(
  modules: readonly LiveModule[],
  log: FastifyBaseLogger,
  timeoutMs: number,
): Promise<void> {
  const closing = modules.map(async ({ module, prefixes, instance }) => {
    if (!instance.close) return;
    const reason = await settle(instance.close, timeoutMs);
    if (reason === undefined) log.info({ module: module.name, prefixes }, 'module closed');
    else log.error({ module: module.name, prefixes, reason }, 'module did not close');
  });
  await Promise.all(closing);
}
