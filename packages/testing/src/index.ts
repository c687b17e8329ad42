export { type ConformanceOptions, type SetupKit, testModule } from './conformance.js';
export { type MountOptions, mountModule } from './host.js';
export { type RawResponse, requestAsIs } from './http.js';
export { freePort, type WaitOptions, waitFor } from './net.js';
export { lintOpenApi, REDOCLY_CONFIG } from './openapi-lint.js';
export { type PostgresOptions, type PostgresServer, startPostgres } from './postgres.js';
export { assertProperty } from './property.js';
export { type TestIssuer, testIssuer } from './tokens.js';
