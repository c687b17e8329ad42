// How the bundle is built (scripts/bundle.mjs), shared with the benchmark that builds the
// service with one step turned off (bench/step-costs.ts).
import { build } from 'esbuild';

// CommonJS dependencies expect require and __dirname, which ESM lacks.
const commonJsShim = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  'const require = __createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
].join(' ');

// Node's built-in modules, required rather than imported. An ESM import of one makes Node read
// every export of it, lazy ones included: for node:http that loads undici (its WebSocket), for
// node:crypto Web Crypto, for node:fs its streams, about 55 ms of every start on Node.js 24
// (docs/benchmarks.md). CommonJS dependencies already require them.
const requireBuiltins = {
  name: 'require-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, ({ path, kind }) =>
      kind === 'import-statement' ? { path, namespace: 'required-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'required-builtin' }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(path)});`,
      loader: 'js',
    }));
  },
};

// node:https and node:http2, loaded when first used: the service serves plain HTTP, but Fastify
// and prom-client require them as they load, and their TLS stack cost about 10 ms of every start.
// Both are only ever used as namespaces (`https.createServer(…)`), which a proxy passes on.
const TLS_MODULES = /^(node:)?(https|http2)$/;
const tlsOnFirstUse = {
  name: 'tls-on-first-use',
  setup(build) {
    build.onResolve({ filter: TLS_MODULES }, ({ path }) => ({
      path: path.replace(/^node:/, ''),
      namespace: 'tls-on-first-use',
    }));
    build.onLoad({ filter: /.*/, namespace: 'tls-on-first-use' }, ({ path }) => ({
      contents: `let loaded;
const load = () => (loaded ??= require(${JSON.stringify(`node:${path}`)}));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => ({ ...Reflect.getOwnPropertyDescriptor(load(), key), configurable: true }),
});`,
      loader: 'js',
    }));
  },
};

export const shared = {
  plugins: [tlsOnFirstUse, requireBuiltins],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['source'],
  // No keepNames: it wraps every named closure in an Object.defineProperty call, which runs
  // per request in Fastify's hot path and cut throughput by a third (docs/benchmarks.md).
  // The price: minified class names in logs' err.type (err.name and err.code stay readable).
  minify: true,
  legalComments: 'linked',
  banner: { js: commonJsShim },
  // pg's optional native driver is not used; the embedded PostgreSQL (PGlite) reads its
  // WebAssembly from files beside its code and is 27 MB: the image carries neither, so notes in
  // the image need DATABASE_URL (docs/modules.md).
  external: ['pg-native', '@electric-sql/pglite'],
  logLevel: 'warning',
};

// What the service imports only when first needed: OpenTelemetry (with tracing on), and
// @fastify/swagger and Swagger UI (the first /openapi.json or /docs). Each is a file of its own
// beside service.cjs, imported by path, so start-up neither reads nor compiles it. Keyed by the
// specifier the service imports: the file's name, and the entry point it is built from.
export const onFirstUse = new Map([
  ['./tracing.js', { name: 'tracing', entry: 'packages/service/src/tracing.ts' }],
  ['@fastify/swagger', { name: 'swagger', entry: '@fastify/swagger' }],
  ['@fastify/swagger-ui', { name: 'swagger-ui', entry: '@fastify/swagger-ui' }],
]);
const escaped = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const importedOnFirstUse = {
  name: 'imported-on-first-use',
  setup(build) {
    // Only these specifiers reach the plugin: esbuild calls it for nothing else.
    const filter = new RegExp(`^(${[...onFirstUse.keys()].map(escaped).join('|')})$`);
    build.onResolve({ filter }, ({ path, kind }) => {
      const file = kind === 'dynamic-import' ? onFirstUse.get(path) : undefined;
      return file && { path: `./${file.name}.mjs`, external: true };
    });
  },
};

/**
 * The service as one CommonJS file, which dist/main.mjs (scripts/service-entry.mjs) runs from a V8
 * code cache made after start-up: Node's own compile cache holds only code compiled before a file
 * runs. `plugins` come first (the benchmark's edits of the source).
 */
export function buildService(outdir, plugins = []) {
  return build({
    ...shared,
    plugins: [...plugins, importedOnFirstUse, tlsOnFirstUse],
    format: 'cjs',
    banner: undefined,
    entryPoints: ['packages/service/src/main.ts'],
    outfile: `${outdir}/dist/service.cjs`,
    // The entry point passes its own import.meta: it is in the same folder, so URLs relative to it
    // (../package.json, static/) and what it resolves are the same.
    define: { 'import.meta': '__importMeta' },
  });
}
