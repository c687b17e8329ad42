import type { FastifyBaseLogger } from 'fastify';
import type { MountedModule } from './modules.js';

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

/** Each module mounted once or more, with the prefixes it is mounted at. */
function distinct(modules: readonly MountedModule[]) {
  const prefixes = new Map<MountedModule['module'], string[]>();
  for (const { module, prefix } of modules) prefixes.set(module, [...(prefixes.get(module) ?? []), prefix]);
  return [...prefixes];
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
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The modules whose ready() throws or hangs, each logged as a warning. */
export async function findUnreadyModules(
  modules: readonly MountedModule[],
  log: FastifyBaseLogger,
  timeoutMs: number,
): Promise<UnreadyModule[]> {
  const checks = distinct(modules).map(async ([module, prefixes]) => {
    const reason = module.ready && (await settle(module.ready, timeoutMs));
    if (reason === undefined) return [];
    log.warn({ module: module.name, prefixes, reason }, 'module not ready');
    return [{ name: module.name, reason }];
  });
  return (await Promise.all(checks)).flat();
}

/** Calls every module's close() once, in parallel; one that throws or hangs is logged, not waited for past the limit. */
export async function closeModules(
  modules: readonly MountedModule[],
  log: FastifyBaseLogger,
  timeoutMs: number,
): Promise<void> {
  const closing = distinct(modules).map(async ([module, prefixes]) => {
    if (!module.close) return;
    const reason = await settle(module.close, timeoutMs);
    if (reason === undefined) log.info({ module: module.name, prefixes }, 'module closed');
    else log.error({ module: module.name, prefixes, reason }, 'module did not close');
  });
  await Promise.all(closing);
}
