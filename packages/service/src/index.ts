// What a module's tests use: the host, built around the module without listening.

export { readModuleSettings } from './module-settings.js';
export type { MountedModule } from './modules.js';
export { type AppOptions, buildApp } from './rest/app.js';
export { scopesWithoutVerifier } from './rest/plugins/authentication.js';
export { documentedSchema } from './rest/plugins/openapi.js';
