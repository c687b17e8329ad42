import { isRestModule, type Prefix, type RestModule } from '@simple-rest/module-contract';
import { ConfigError } from './config.js';

/** Paths the service serves itself; a module mounted on one would shadow it. */
export const SERVICE_PATHS = ['/healthz', '/readyz', '/metrics', '/version', '/openapi.json', '/docs'] as const;

const VALID_PREFIX = /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/;

export interface ModuleSpec {
  readonly packageName: string;
  readonly prefix?: Prefix;
}

export interface MountedModule {
  readonly module: RestModule;
  readonly prefix: Prefix;
}

/** Reads MODULES (`package[=/prefix]`, comma-separated; empty for none), already checked by the config schema. */
export function parseModuleList(list: string): ModuleSpec[] {
  return list
    .split(',')
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [packageName = '', prefix] = entry.split('=');
      return prefix === undefined ? { packageName } : { packageName, prefix: prefix as Prefix };
    });
}

type Importer = (packageName: string) => Promise<{ default?: unknown }>;

/** Loads each named package, checks it is a module and that the prefixes fit together. */
export async function loadModules(
  specs: readonly ModuleSpec[],
  importer: Importer = (packageName) => import(packageName),
): Promise<MountedModule[]> {
  const mounted: MountedModule[] = [];
  for (const spec of specs) {
    const module = (await importModule(spec.packageName, importer)).default;
    if (!isRestModule(module)) {
      throw new ConfigError(
        `Invalid configuration: MODULES names "${spec.packageName}", which is not a simple-rest module (its default export is not a RestModule)`,
      );
    }
    mounted.push({ module, prefix: spec.prefix ?? module.defaultPrefix });
  }
  checkPrefixes(mounted);
  return mounted;
}

async function importModule(packageName: string, importer: Importer) {
  try {
    return await importer(packageName);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(packageName)) {
      throw new ConfigError(`Invalid configuration: MODULES names "${packageName}", which is not installed`);
    }
    throw error;
  }
}

function checkPrefixes(mounted: readonly MountedModule[]): void {
  for (const [index, { module, prefix }] of mounted.entries()) {
    if (!VALID_PREFIX.test(prefix)) {
      throw new ConfigError(
        `Invalid configuration: MODULES mounts "${module.name}" at "${prefix}", which is not a valid prefix (expected /segment[/segment…], no "." or ".." segments, no trailing slash)`,
      );
    }
    const shadowed = SERVICE_PATHS.find((path) => overlaps(prefix, path));
    if (shadowed !== undefined) {
      throw new ConfigError(
        `Invalid configuration: MODULES mounts "${module.name}" at ${prefix}, which shadows the service's route ${shadowed}`,
      );
    }
    const other = mounted.slice(0, index).find((earlier) => overlaps(prefix, earlier.prefix));
    if (other !== undefined) {
      throw new ConfigError(
        `Invalid configuration: MODULES mounts "${module.name}" at ${prefix} and "${other.module.name}" at ${other.prefix}; prefixes must not be equal or nested`,
      );
    }
  }
}

/** Two prefixes overlap when one is the other or lies inside it, segment-wise. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}
