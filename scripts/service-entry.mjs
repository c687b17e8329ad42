// The bundle's entry point, copied to dist/main.mjs by scripts/bundle.mjs: runs the service, bundled
// as one CommonJS file beside it (service.cjs), from a V8 code cache kept in NODE_COMPILE_CACHE.
//
// Node's own compile cache serializes a file's code as soon as it is compiled, before it runs: it
// holds the top-level code and nothing that start-up then compiles, a fifth of the service's start
// on Node.js 24 (docs/benchmarks.md). This cache is serialized when the process exits cleanly,
// with every function compiled by then. It is written once, where the directory is writable (the
// image's build runs the service once for it), and only read after. A cache V8 rejects (another
// Node.js, other flags) is written anew where it can be. NODE_DEBUG=code-cache shows what happened.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debuglog } from 'node:util';
import vm from 'node:vm';
import { crc32 } from 'node:zlib';

const debug = debuglog('code-cache');
const filename = fileURLToPath(new URL('service.cjs', import.meta.url));
const source = readFileSync(filename, 'utf8');
const wanted = process.env.NODE_DISABLE_COMPILE_CACHE ? undefined : process.env.NODE_COMPILE_CACHE;
// Node.js 20 loses a script's import() when V8 compiles it from a cache, so it runs the service
// without one (it has no compile cache of its own either).
const cachable = Number(process.versions.node.split('.')[0]) >= 22;
if (wanted && !cachable) debug('off on Node.js %s', process.version);
const directory = cachable ? wanted : undefined;
// V8 checks a cache's version, flags and source length; the checksum tells apart sources of one length.
const cacheFile =
  directory && join(directory, `service-${crc32(source).toString(16)}-${process.version}-${process.arch}.v8`);

function readCache() {
  try {
    return readFileSync(cacheFile);
  } catch (error) {
    debug('%s not read: %s', cacheFile, error.code);
    return undefined;
  }
}

function writeCache(script) {
  const temporary = `${cacheFile}.${process.pid}`;
  try {
    mkdirSync(directory, { recursive: true });
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile); // whole or absent, should workers exit together
    debug('%s written', cacheFile);
  } catch (error) {
    debug('%s not written: %s', cacheFile, error.code);
  }
}

// The service's import() (of MODULES, of node:cluster) goes to Node's ESM loader as from any file.
// Node marks that option experimental with a warning on the first import(); this one import of a
// built-in makes that happen now, with that warning alone kept off stderr.
const importModuleDynamically = vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
const { emitWarning } = process;
process.emitWarning = (warning, ...rest) => {
  if (!String(warning).startsWith('vm.USE_MAIN_CONTEXT_DEFAULT_LOADER')) emitWarning.call(process, warning, ...rest);
};
try {
  await new vm.Script('import("node:vm")', { importModuleDynamically }).runInThisContext();
} finally {
  process.emitWarning = emitWarning;
}

const cachedData = cacheFile && readCache();
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname, __importMeta) {${source}\n})`,
  { filename, cachedData, importModuleDynamically },
);
if (cachedData) debug('%s %s', cacheFile, script.cachedDataRejected ? 'rejected' : 'accepted');
// Not after a failed start, whose cache would hold only what ran before it failed.
if (cacheFile && (!cachedData || script.cachedDataRejected))
  process.once('exit', (code) => code === 0 && writeCache(script));

const module = { exports: {} };
// __importMeta stands for import.meta in the bundle: this file's, in the same folder.
script.runInThisContext()(module.exports, createRequire(filename), module, filename, dirname(filename), import.meta);
