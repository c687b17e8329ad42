import type { Prefix } from '@simple-rest/module-contract';

export interface ModuleProject {
  /** The npm package name, such as `@acme/notes`. */
  readonly name: string;
  readonly prefix: Prefix;
  /** Version specifiers of our packages: semver ranges, or `file:` tarballs with --local. */
  readonly ourPackages: Readonly<Record<string, string>>;
}

/** The placeholders of the template (`template/`), each a real value there so it builds and tests as it is. */
const PLACEHOLDER = {
  tarball: 'scaffold-template-module',
  name: '@scaffold/template-module',
  prefix: '/template-module',
  settingPrefix: 'TEMPLATE_MODULE',
  shortName: 'template-module',
} as const;

/** `@acme/notes` → `notes`: the OpenAPI tag and the stem of names. */
function shortName(name: string): string {
  return name.replace(/^@[^/]+\//, '');
}

/**
 * The template's files with its placeholders replaced, most specific first (the package name
 * holds the prefix's placeholder): `gitignore` becomes `.gitignore` (npm pack would drop a
 * `.gitignore`), and package.json gets the versions of our packages.
 */
export function projectFiles(
  template: Readonly<Record<string, string>>,
  project: ModuleProject,
): Record<string, string> {
  const { name, prefix, ourPackages } = project;
  const replacements: [string, string][] = [
    [PLACEHOLDER.tarball, name.replace('@', '').replace('/', '-')],
    [PLACEHOLDER.name, name],
    [PLACEHOLDER.prefix, prefix],
    [
      PLACEHOLDER.settingPrefix,
      shortName(name)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '_'),
    ],
    [PLACEHOLDER.shortName, shortName(name)],
  ];
  const fill = (text: string) => replacements.reduce((filled, [from, to]) => filled.replaceAll(from, to), text);
  const files = Object.fromEntries(
    Object.entries(template).map(([path, text]) => [path === 'gitignore' ? '.gitignore' : path, fill(text)]),
  );
  const manifest = JSON.parse(files['package.json'] ?? '{}') as { devDependencies?: Record<string, string> };
  manifest.devDependencies = Object.fromEntries(
    Object.entries({ ...manifest.devDependencies, ...ourPackages }).sort(([a], [b]) => a.localeCompare(b)),
  );
  files['package.json'] = `${JSON.stringify(manifest, null, 2)}\n`;
  return files;
}
