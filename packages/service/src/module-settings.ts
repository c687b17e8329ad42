import type { RestModule, SettingValue } from '@simple-rest/module-contract';
import { environmentSchemaOf, invalidConfiguration, validateEnvironment } from './config/environment.js';
import { SERVICE_SETTINGS } from './config/service-settings.js';

/** A module's settings as it receives them, by variable name. */
export type ModuleSettings = Readonly<Record<string, SettingValue>>;

/**
 * Reads one module's settings from `env`, validated like the service's own: a bad one stops
 * start-up. A module that declares none reads nothing, and costs no schema compilation.
 */
export function readModuleSettings(module: RestModule, env: NodeJS.ProcessEnv): ModuleSettings {
  const declared = module.settings ?? {};
  if (Object.keys(declared).length === 0) return {};
  return validateEnvironment<ModuleSettings>(environmentSchemaOf(declared), env);
}

/**
 * Refuses a variable that two modules declare, or that a module declares and the service
 * reads: one variable would then set two things. One module mounted twice declares it once.
 */
export function checkSettingNames(modules: readonly RestModule[]): void {
  const owners = new Map<string, string>(Object.keys(SERVICE_SETTINGS).map((name) => [name, 'the service']));
  for (const module of new Set(modules)) {
    for (const name of Object.keys(module.settings ?? {})) {
      const owner = owners.get(name);
      if (owner !== undefined) {
        throw invalidConfiguration(`"${module.name}" declares the setting ${name}, which ${owner} reads too`);
      }
      owners.set(name, `"${module.name}"`);
    }
  }
}
