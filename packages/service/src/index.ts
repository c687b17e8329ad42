// What a module's tests use: the host, built around the module without listening.

export { type MountedModule, resolveModules } from './modules.js';
export { type AppOptions, buildApp } from './rest/app.js';
export { scopesWithoutVerifier } from './rest/auth/plugin.js';
export { documentedSchema } from './rest/openapi/plugin.js';
