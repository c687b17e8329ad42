// Supply chain, offline: every manifest is what the lockfile recorded, every dependency resolves
// in the lockfile to a version its range accepts, and the production tree is clean.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import semver from 'semver';

type Manifest = Record<
  'dependencies' | 'devDependencies' | 'peerDependencies' | 'optionalDependencies',
  Record<string, string> | undefined
> & {
  workspaces?: string[];
};
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, Manifest & { version?: string; link?: boolean; resolved?: string }>;
};
const root = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const places = ['', ...(root.workspaces ?? [])];
const FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

for (const place of places) {
  test(`${place || 'the root'}: package.json and package-lock.json agree (a dependency added without a lockfile update fails here)`, () => {
    const manifest = JSON.parse(readFileSync(`${place || '.'}/package.json`, 'utf8')) as Manifest;
    const recorded = lock.packages[place];
    assert.ok(recorded, `package-lock.json has no entry for ${place || 'the root'}`);
    for (const field of FIELDS) assert.deepEqual(recorded[field] ?? {}, manifest[field] ?? {}, field);
  });

  test(`${place || 'the root'}: each dependency resolves in the lockfile to a version its range accepts`, () => {
    const manifest = JSON.parse(readFileSync(`${place || '.'}/package.json`, 'utf8')) as Manifest;
    for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      const entry =
        lock.packages[`${place ? `${place}/` : ''}node_modules/${name}`] ?? lock.packages[`node_modules/${name}`];
      assert.ok(entry, `${name} is not in package-lock.json`);
      const version = entry.link ? lock.packages[entry.resolved ?? '']?.version : entry.version;
      assert.ok(version && semver.satisfies(version, range), `${name}@${version} does not satisfy ${range}`);
    }
  });
}

test('npm ls --omit=dev: the production tree has no missing, invalid or extraneous package', () => {
  const output = execFileSync('npm', ['ls', '--omit=dev', '--all', '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const tree = JSON.parse(output) as { problems?: string[] };
  // The platform tests link their fixture module (test/platform/fixtures/) into node_modules, by
  // name, as an operator installs a module: a test's own, not the production tree's.
  const problems = (tree.problems ?? []).filter((problem) => !/^extraneous: @fixtures\/[a-z-]+@/.test(problem));
  assert.deepEqual(problems, []);
});
