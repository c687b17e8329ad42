import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';

// The OpenAPI fields a module's route schemas may carry, typed as @fastify/swagger types
// them, so a module documents its routes without depending on the host's docs plugin.
declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: readonly string[];
  }
}

/**
 * This package's version, which a host compares with each module's peerDependencies range on
 * it. A constant rather than a read of package.json, which a bundled host no longer has; a test
 * keeps the two equal.
 */
export const CONTRACT_VERSION = '0.1.0';

/** A URL path prefix: one or more `/segment`s, no trailing slash. */
export type Prefix = `/${string}`;

const PREFIX = /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/;

/** True for `/segment[/segment…]` of unreserved characters, with no `.` or `..` segment and no trailing slash. */
export function isPrefix(value: string): value is Prefix {
  return PREFIX.test(value);
}

/**
 * What a simple-rest module gives the service that mounts it. The host owns
 * cross-cutting behaviour (trailing-slash redirects, problem JSON errors,
 * content negotiation), so a module only declares routes that answer plain text.
 */
export interface RestModule {
  /** The npm package name, as in the module's package.json. */
  readonly name: string;
  /** The package version, as in the module's package.json. */
  readonly version: string;
  /** Where the module is mounted when configuration names no prefix. */
  readonly defaultPrefix: Prefix;
  /** The module's routes, relative to whatever prefix the host chooses. */
  readonly routes: FastifyPluginAsync;
  /** How the module appears in the host's OpenAPI document. */
  readonly openapi: { readonly tag: string; readonly description: string };
  /**
   * Whether the module can serve: resolves when it can, throws when it cannot (say, its
   * database is unreachable). `/readyz` asks it, with a time limit, and answers 503 while it
   * fails, so the instance leaves the load balancer's rotation.
   */
  readonly ready?: () => Promise<void> | void;
  /** Releases what the module holds; called once at shutdown, after the last request is answered. */
  readonly close?: () => Promise<void> | void;
}

export interface ModuleDefinition extends Pick<RestModule, 'defaultPrefix' | 'routes' | 'openapi' | 'ready' | 'close'> {
  /** `new URL('../package.json', import.meta.url)` from the module's entry point. */
  readonly packageJson: URL;
}

/** What a package says of itself in its package.json: name and version, checked to be strings. */
export interface PackageIdentity {
  readonly name: string;
  readonly version: string;
  readonly license?: string;
  readonly homepage?: string;
}

/** Reads a package's package.json; throws unless it has a string name and version. */
export function readPackageIdentity(packageJson: URL): PackageIdentity {
  const manifest: unknown = JSON.parse(readFileSync(packageJson, 'utf8'));
  if (!isRecord(manifest) || typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
    throw new TypeError(`${packageJson.href} has no string "name" and "version"`);
  }
  const { name, version, license, homepage } = manifest;
  return {
    name,
    version,
    ...(typeof license === 'string' && { license }),
    ...(typeof homepage === 'string' && { homepage }),
  };
}

/** Builds a module whose name and version come from its own package.json, so they cannot drift. */
export function defineModule(definition: ModuleDefinition): RestModule {
  const { packageJson, openapi, ...rest } = definition;
  const { name, version } = readPackageIdentity(packageJson);
  return Object.freeze({ ...rest, name, version, openapi: Object.freeze({ ...openapi }) });
}

/** True when a package's default export fulfils the contract; the host checks this before mounting. */
export function isRestModule(value: unknown): value is RestModule {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    typeof value.version === 'string' &&
    typeof value.defaultPrefix === 'string' &&
    isPrefix(value.defaultPrefix) &&
    typeof value.routes === 'function' &&
    (value.ready === undefined || typeof value.ready === 'function') &&
    (value.close === undefined || typeof value.close === 'function') &&
    isRecord(value.openapi) &&
    typeof value.openapi.tag === 'string' &&
    typeof value.openapi.description === 'string'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Response schema of a route answering plain text. The host serves the same text as
 * `{"message": …}` to clients that prefer JSON, so both representations are documented.
 */
export function textResponses(description: string) {
  return {
    200: {
      description,
      content: {
        'text/plain': { schema: { type: 'string' } },
        'application/json': {
          schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
        },
      },
    },
  } as const;
}
