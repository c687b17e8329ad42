import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTRACT_VERSION, isRestModule, type Prefix, type RestModule, SINCE_0_2 } from '@simple-rest/module-contract';
// The function alone, not semver's index, which builds every one of them at start.
import satisfies from 'semver/functions/satisfies.js';
import { invalidConfiguration, type ModuleSpec } from './config/index.js';
import { checkSettingNames, type ModuleSettings, readModuleSettings } from './module-settings.js';

export interface MountedModule {
  readonly module: RestModule;
  readonly prefix: Prefix;
  /** The name MODULES gave, an npm alias perhaps (`greet-v1`); the module's own name when absent. */
  readonly packageName?: string;
  /** Its settings, read from the environment. */
  readonly settings: ModuleSettings;
}

/** The package.json fields the host checks before mounting. */
interface Manifest {
  readonly version?: string;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

type Importer = (packageName: string) => Promise<{ default?: unknown }>;

/** Where modules come from: how a package is imported, and how its manifest is read. */
export interface ModuleSources {
  readonly importer: Importer;
  readonly readManifest: (packageName: string) => Manifest;
}

const INSTALLED: ModuleSources = {
  // Resolved from this file, as readInstalledManifest does: Node resolves each name once. (In the
  // bundle, a bare import() resolves from service.cjs, which Node caches apart from this file.)
  importer: (packageName) => import(import.meta.resolve(packageName)),
  readManifest: readInstalledManifest,
};

/**
 * The modules to mount, the one way every caller gets them (main.ts, `npm run settings`,
 * scripts/openapi.ts, the test kit's mountModule): each named package loaded and checked to be a
 * module whose version and contract range fit, at its prefix (its own default when not given),
 * the prefixes fitting together, and its settings read from `env` and validated, no variable
 * declared twice. Anything wrong throws the service's one-line ConfigError. (buildApp then
 * checks that no module shadows an operations route, against the routes as registered.)
 */
export async function resolveModules(
  specs: readonly ModuleSpec[],
  env: NodeJS.ProcessEnv,
  { importer, readManifest }: ModuleSources = INSTALLED,
): Promise<MountedModule[]> {
  // Imported together, so that reading their files overlaps; checked in MODULES' order, so the
  // error named is the first entry's.
  const imports = specs.map((spec) => importModule(spec.packageName, importer));
  for (const pending of imports) pending.catch(() => undefined); // each is awaited below
  const loaded: Omit<MountedModule, 'settings'>[] = [];
  for (const [index, spec] of specs.entries()) {
    const module = (await imports[index])?.default;
    if (!isRestModule(module)) {
      throw invalidConfiguration(
        `MODULES names "${spec.packageName}", which is not a simple-rest module (its default export is not a RestModule)`,
      );
    }
    checkVersions(spec, module, readManifest(spec.packageName));
    loaded.push({ module, prefix: spec.prefix ?? module.defaultPrefix, packageName: spec.packageName });
  }
  checkPrefixes(loaded);
  checkSettingNames(loaded.map(({ module }) => module));
  // Read once per module, however many prefixes it is mounted at.
  const settings = new Map(loaded.map(({ module }) => [module, readModuleSettings(module, env)]));
  return loaded.map((mounted) => ({ ...mounted, settings: settings.get(mounted.module) ?? {} }));
}

/**
 * The contract versions this host serves: 0.2 adds to 0.1 (SINCE_0_2) and changes nothing of
 * it, so a module built for 0.1 mounts as it is.
 */
const SERVED_CONTRACTS = [CONTRACT_VERSION, '0.1.0'];

function checkVersions({ packageName, versionRange }: ModuleSpec, module: RestModule, manifest: Manifest): void {
  const installed = manifest.version ?? 'unknown';
  if (versionRange !== undefined && !satisfies(installed, versionRange)) {
    throw invalidConfiguration(`MODULES wants "${packageName}" at ${versionRange}, but ${installed} is installed`);
  }
  const contractRange = manifest.peerDependencies?.['@simple-rest/module-contract'];
  if (contractRange === undefined) return;
  if (!SERVED_CONTRACTS.some((served) => satisfies(served, contractRange))) {
    throw invalidConfiguration(
      `MODULES names "${packageName}" ${installed}, built for the module contract ${contractRange}; this service has ${CONTRACT_VERSION}`,
    );
  }
  // A range a 0.1 host satisfies promises that one would serve the module: not if it uses 0.2's additions.
  const newer = SINCE_0_2.filter((part) => module[part] !== undefined);
  if (newer.length > 0 && satisfies('0.1.0', contractRange)) {
    throw invalidConfiguration(
      `MODULES names "${packageName}" ${installed}, which uses ${newer.join(' and ')} (module contract 0.2.0) but declares the contract ${contractRange}, which a host of 0.1.0 would serve without them: declare ^0.2.0`,
    );
  }
}

/** The package.json of an installed package: the first one above its entry point that has a version. */
function readInstalledManifest(packageName: string): Manifest {
  let directory = dirname(fileURLToPath(import.meta.resolve(packageName)));
  for (;;) {
    const path = join(directory, 'package.json');
    if (existsSync(path)) {
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
      if (manifest.version !== undefined) return manifest;
    }
    const parent = dirname(directory);
    if (parent === directory) return {};
    directory = parent;
  }
}

async function importModule(packageName: string, importer: Importer) {
  try {
    return await importer(packageName);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(packageName)) {
      throw invalidConfiguration(`MODULES names "${packageName}", which is not installed`);
    }
    throw error;
  }
}

function checkPrefixes(mounted: readonly Pick<MountedModule, 'module' | 'prefix'>[]): void {
  for (const [index, { module, prefix }] of mounted.entries()) {
    const other = mounted.slice(0, index).find((earlier) => overlaps(prefix, earlier.prefix));
    if (other !== undefined) {
      throw invalidConfiguration(
        `MODULES mounts "${module.name}" at ${prefix} and "${other.module.name}" at ${other.prefix}; prefixes must not be equal or nested`,
      );
    }
  }
}

/**
 * Refuses a module mounted on or below an operations route (`/healthz`, `/docs/…`), which it
 * would shadow. `operationsPaths` are the routes as registered, so none can be forgotten.
 */
export function checkNoShadowing(mounted: readonly MountedModule[], operationsPaths: readonly string[]): void {
  const reserved = [...new Set(operationsPaths.map((path) => `/${path.split('/')[1]}`))];
  for (const { module, prefix } of mounted) {
    const shadowed = reserved.find((path) => overlaps(prefix, path));
    if (shadowed !== undefined) {
      throw invalidConfiguration(
        `MODULES mounts "${module.name}" at ${prefix}, which shadows the service's route ${shadowed}`,
      );
    }
  }
}

/** Two prefixes overlap when one is the other or lies inside it, segment-wise. */
function overlaps(a: string, b: string): boolean {
  return isWithin(a, b) || isWithin(b, a);
}

/** Whether `path` is `prefix` or lies inside it, segment-wise (`/a/b` is within `/a`, `/ab` is not). */
export function isWithin(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}
