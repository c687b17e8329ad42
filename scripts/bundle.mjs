// Bundles the deployable app into packages/service/bundle/, laid out like the service's
// package (package.json, dist/main.mjs, dist/healthcheck.mjs), with Swagger UI's files in
// dist/static/ and each module a package of its own under node_modules/, so MODULES still
// loads modules by name, and the module contract beside them, which outside modules import as
// a peer. A fraction of the size of node_modules, and a faster start. The modules are the
// workspaces whose package.json has the keyword simple-rest-module (scripts/workspaces.mjs).
import { existsSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { build } from 'esbuild';
import { buildService, onFirstUse, shared } from './bundle-options.mjs';
import { moduleWorkspaces } from './workspaces.mjs';

const outdir = 'packages/service/bundle';
const modules = moduleWorkspaces().map(({ directory }) => directory.replace(/^packages\//, ''));

await rm(outdir, { recursive: true, force: true });
await buildService(outdir);
await build({
  ...shared,
  entryPoints: Object.fromEntries([...onFirstUse.values()].map(({ name, entry }) => [name, entry])),
  outdir: `${outdir}/dist`,
  // Code they share goes into chunks of its own.
  splitting: true,
  chunkNames: '[name]-[hash]',
  outExtension: { '.js': '.mjs' },
});
await cp('scripts/service-entry.mjs', `${outdir}/dist/main.mjs`);
await build({
  ...shared,
  entryPoints: ['packages/service/src/healthcheck.ts'],
  outfile: `${outdir}/dist/healthcheck.mjs`,
});
// The service reads its name and version from ../package.json, as it does unbundled.
await cp('packages/service/package.json', `${outdir}/package.json`);
// Swagger UI serves its page and scripts from files; they travel beside the bundle.
await cp('node_modules/@fastify/swagger-ui/static', `${outdir}/dist/static`, {
  recursive: true,
  filter: (source) => !source.endsWith('.map'),
});
for (const name of ['module-contract', ...modules]) {
  const target = `${outdir}/node_modules/@simple-rest/${name}`;
  await mkdir(target, { recursive: true });
  await cp(`packages/${name}/package.json`, `${target}/package.json`);
  // A module's SQL migrations, which the host reads from beside its code (../migrations/).
  if (existsSync(`packages/${name}/migrations`))
    await cp(`packages/${name}/migrations`, `${target}/migrations`, { recursive: true });
  // Fastify is the host's: a module imports only its types.
  await build({ ...shared, entryPoints: [`packages/${name}/src/index.ts`], outfile: `${target}/dist/index.js` });
}
console.log(`bundled into ${outdir}: the service, the module contract and ${modules.join(', ')}`);
