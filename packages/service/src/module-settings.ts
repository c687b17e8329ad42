import type { RestModule, Setting } from '@simple-rest/module-contract';
import { configSchema, type EnvironmentSchema, invalidConfiguration, validateEnvironment } from './config.js';
import type { ModuleSettings, MountedModule } from './modules.js';

/** What a setting allows, in the words a start-up error and the settings table use. */
export function allowedValues(setting: Setting): string {
  switch (setting.type) {
    case 'boolean':
      return 'true or false';
    case 'integer':
    case 'number': {
      const kind = setting.type === 'integer' ? 'an integer' : 'a number';
      const { minimum, maximum } = setting;
      if (minimum !== undefined && maximum !== undefined) return `${kind} from ${minimum} to ${maximum}`;
      if (minimum !== undefined) return `${kind} of ${minimum} or more`;
      if (maximum !== undefined) return `${kind} of ${maximum} or less`;
      return kind;
    }
    case 'string':
      if (setting.allowed !== undefined) return setting.allowed;
      if (setting.enum !== undefined) return `one of ${setting.enum.join(', ')}`;
      return 'a string';
  }
}

/** A module's settings as the JSON Schema the host validates the environment with. */
function schemaOf(module: RestModule): EnvironmentSchema {
  const settings = Object.entries(module.settings ?? {});
  return {
    type: 'object',
    properties: Object.fromEntries(settings.map(([name, setting]) => [name, propertyOf(setting)])),
    required: settings.filter(([, setting]) => setting.required === true).map(([name]) => name),
  };
}

/** A setting as a JSON Schema property; its description is what it allows, as errors quote it. */
function propertyOf(setting: Setting) {
  const { description: _, required: __, ...rest } = setting;
  const { allowed: ___, ...property } = rest as typeof rest & { allowed?: string };
  return { ...property, description: allowedValues(setting) };
}

/**
 * Reads one module's settings from `env`, validated like the service's own: a bad one stops
 * start-up. A module that declares none reads nothing, and costs no schema compilation.
 */
export function readModuleSettings(module: RestModule, env: NodeJS.ProcessEnv): ModuleSettings {
  if (Object.keys(module.settings ?? {}).length === 0) return {};
  return validateEnvironment<ModuleSettings>(schemaOf(module), env);
}

/**
 * Refuses a variable that two modules declare, or that a module declares and the service
 * reads: one variable would then set two things. One module mounted twice declares it once.
 */
export function checkSettingNames(modules: readonly RestModule[]): void {
  const owners = new Map<string, string>(Object.keys(configSchema.properties).map((name) => [name, 'the service']));
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

/** Every mounted module with its settings read from `env`; throws on a bad value or a shared name. */
export function withModuleSettings(modules: readonly MountedModule[], env: NodeJS.ProcessEnv): MountedModule[] {
  checkSettingNames(modules.map(({ module }) => module));
  const settings = new Map(modules.map(({ module }) => [module, readModuleSettings(module, env)]));
  return modules.map((mounted) => ({ ...mounted, settings: settings.get(mounted.module) ?? {} }));
}
