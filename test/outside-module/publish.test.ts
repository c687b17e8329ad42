// What a module author installs from us, as the registry would serve it: the npm pack tarballs of
// this checkout, installed into an empty directory and used there. Needs the build (npm run build).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;
/** What an author installs, and what @simple-rest/testing brings with it. */
const AUTHOR_PACKAGES = ['module-contract', 'testing', 'create-module'];
const HOST_PACKAGES = ['service', 'blueprint'];

test('the packages a module author installs pack built JS and types only, install, and work', (t) => {
  const work = mkdtempSync(join(tmpdir(), 'simple-rest-publish-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const workspaces = [...AUTHOR_PACKAGES, ...HOST_PACKAGES].flatMap((name) => ['--workspace', `packages/${name}`]);
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work, ...workspaces], { cwd: root, encoding: 'utf8' }),
  ) as { name: string; filename: string; files: { path: string }[] }[];

  for (const { name, files } of packed) {
    // Beside dist, a package may ship only the data files and folders its package.json names
    // (testing's redocly.yaml, create-module's template/).
    const manifest = JSON.parse(readFileSync(join(root, `packages/${name.split('/')[1]}/package.json`), 'utf8'));
    const dataFiles = (manifest.files as string[]).filter(
      (entry) => !entry.startsWith('dist') && !entry.startsWith('!'),
    );
    const unexpected = files
      .map(({ path }) => path)
      .filter((path) => !/^(package\.json|dist\/.+\.(js|d\.ts))$/.test(path))
      .filter((path) => !dataFiles.some((entry) => path === entry || path.startsWith(`${entry}/`)));
    assert.deepEqual(unexpected, [], `${name} packs only package.json, dist/*.js, *.d.ts and its data files`);
    assert.ok(
      files.some(({ path }) => path.endsWith('.d.ts')),
      `${name} ships its types`,
    );
  }

  const project = join(work, 'author');
  execFileSync('mkdir', [project]);
  const dependencies = Object.fromEntries([
    ...packed.map(({ name, filename }) => [name, `file:${join(work, filename)}`]),
    ['fastify', '^5.0.0'],
  ]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'author', private: true, type: 'module', dependencies }),
  );
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: project, env, stdio: 'pipe' });

  const used = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { isPrefix } from '@simple-rest/module-contract';
       import { lintOpenApi, mountModule } from '@simple-rest/testing';
       import blueprint from '@simple-rest/blueprint';
       const app = await mountModule(blueprint, { prefix: '/greet' });
       const res = await app.inject({ url: '/greet/Kalimaha/' });
       const problems = await lintOpenApi((await app.inject({ url: '/openapi.json' })).json());
       console.log(isPrefix('/greet'), res.statusCode, res.body, problems.length);
       await app.close();`,
    ],
    { cwd: project, encoding: 'utf8' },
  );
  assert.equal(used, 'true 200 Hallo Kalimaha! 0\n');

  execFileSync(join(project, 'node_modules/.bin/create-module'), ['weather', '--name', '@acme/weather'], {
    cwd: project,
  });
  const created = JSON.parse(readFileSync(join(project, 'weather/package.json'), 'utf8'));
  assert.deepEqual(
    [created.devDependencies['@simple-rest/module-contract'], created.devDependencies['@simple-rest/testing']],
    ['^0.2.0', '^0.1.0'],
    'without --local, a created module depends on published ranges',
  );
});
