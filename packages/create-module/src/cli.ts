#!/usr/bin/env node
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isPrefix, type Prefix } from '@simple-rest/module-contract';
import validatePackageName from 'validate-npm-package-name';
import { projectFiles } from './template.js';

const USAGE = 'usage: create-module <dir> --name <package> [--prefix /path] [--local]';

/** Our packages a module project installs for its tests; the rest come with them. */
const OUR_PACKAGES = ['module-contract', 'testing', 'service', 'blueprint'] as const;

/** The template: a module project of its own, linted, type-checked and tested in this repository. */
const TEMPLATE = fileURLToPath(new URL('../template/', import.meta.url));

class UsageError extends Error {}

function main(argv: readonly string[]): void {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { name: { type: 'string' }, prefix: { type: 'string' }, local: { type: 'boolean', default: false } },
  });
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0 || values.name === undefined) throw new UsageError(USAGE);
  const name = values.name;
  const validity = validatePackageName(name);
  if (!validity.validForNewPackages) {
    throw new UsageError(
      `"${name}" is not a valid package name: ${[...(validity.errors ?? []), ...(validity.warnings ?? [])].join('; ')}`,
    );
  }
  const prefix = values.prefix ?? `/${name.replace(/^@[^/]+\//, '')}`;
  if (!isPrefix(prefix)) {
    throw new UsageError(
      `"${prefix}" is not a valid prefix: expected /segment[/segment…], no "." or ".." segments, no trailing slash`,
    );
  }
  const directory = resolve(target);
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    throw new UsageError(`${directory} exists and is not empty`);
  }

  const ourPackages = values.local ? packLocally(join(directory, 'vendor')) : publishedRanges();
  writeProject(directory, projectFiles(readTemplate(), { name, prefix: prefix as Prefix, ourPackages }));
  initGit(directory);
  process.stdout.write(`Created ${name} in ${directory}. Next:\n  cd ${target}\n  npm install && npm test\n`);
}

function publishedRanges(): Record<string, string> {
  return { '@simple-rest/module-contract': '^0.2.0', '@simple-rest/testing': '^0.1.0' };
}

/** Packs our packages from this checkout into `vendor/`, for machines where they are not published. */
function packLocally(vendor: string): Record<string, string> {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  if (!existsSync(join(root, 'packages/testing/dist/index.js'))) {
    throw new UsageError(`--local packs this checkout's packages: run npm run build in ${root} first`);
  }
  mkdirSync(vendor, { recursive: true });
  const workspaces = OUR_PACKAGES.flatMap((name) => ['--workspace', `packages/${name}`]);
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', vendor, ...workspaces], {
      cwd: root,
      encoding: 'utf8',
    }),
  ) as { name: string; filename: string }[];
  return Object.fromEntries(packed.map(({ name, filename }) => [name, `file:vendor/${filename}`]));
}

/** Every file of the template by relative path, but what its own install, build and pack leave. */
function readTemplate(): Record<string, string> {
  const paths = readdirSync(TEMPLATE, { recursive: true, encoding: 'utf8' }).filter(
    (path) => !/^(node_modules|dist)(\/|$)|\.tgz$/.test(path) && statSync(join(TEMPLATE, path)).isFile(),
  );
  return Object.fromEntries(paths.map((path) => [path, readFileSync(join(TEMPLATE, path), 'utf8')]));
}

function writeProject(directory: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), text);
  }
}

function initGit(directory: string): void {
  try {
    execFileSync('git', ['init', '--quiet'], { cwd: directory, stdio: 'ignore' });
  } catch {
    process.stderr.write('git is not installed: the project was created without a repository\n');
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  const message = error instanceof UsageError || error instanceof TypeError ? error.message : String(error);
  process.stderr.write(`create-module: ${message}\n`);
  process.exit(1);
}
