import type { Prefix } from '@simple-rest/module-contract';

export interface ModuleProject {
  /** The npm package name, such as `@acme/weather`. */
  readonly name: string;
  readonly prefix: Prefix;
  /** Version specifiers of our packages: semver ranges, or `file:` tarballs with --local. */
  readonly ourPackages: Readonly<Record<string, string>>;
}

/** The module's OpenAPI tag and identifier stem: the package name without its scope. */
function shortName(name: string): string {
  return name.replace(/^@[^/]+\//, '');
}

/** Every file of a new module project, by path relative to its directory. */
export function projectFiles(project: ModuleProject): Record<string, string> {
  const { name, prefix, ourPackages } = project;
  const tag = shortName(name);
  const manifest = {
    name,
    version: '0.1.0',
    description: `A simple-rest module, mounted at ${prefix} by default`,
    license: 'MIT',
    keywords: ['simple-rest-module'],
    type: 'module',
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    files: ['dist', '!dist/**/*.map'],
    engines: { node: '>=20.12' },
    scripts: {
      build: 'tsc',
      prepack: 'npm run build',
      test: 'tsc --noEmit && node --import tsx --test test/*.test.ts test/*/*.test.ts',
    },
    // The host provides the contract and Fastify; the range says which contract major this module fits.
    peerDependencies: {
      '@simple-rest/module-contract': '^0.1.0',
      fastify: '^5.0.0',
    },
    devDependencies: {
      ...ourPackages,
      '@types/node': '^20.19.0',
      'fast-check': '^4.10.2',
      fastify: '^5.12.8',
      tsx: '^4.20.0',
      typescript: '^5.9.3',
    },
  };
  return {
    'package.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          declaration: true,
          sourceMap: true,
          rootDir: 'src',
          outDir: 'dist',
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['src'],
      },
      null,
      2,
    )}\n`,
    '.gitignore': 'node_modules/\ndist/\n/*.tgz\n',
    'src/index.ts': `import { defineModule } from '@simple-rest/module-contract';
import { greetingRoutes } from './rest/routes.js';

export { greet } from './core/greeting.js';

export default defineModule({
  packageJson: new URL('../package.json', import.meta.url),
  defaultPrefix: '${prefix}',
  routes: greetingRoutes,
  openapi: { tag: '${tag}', description: 'Greets whoever asks' },
});
`,
    'src/core/greeting.ts': `/** The domain, with no HTTP: \`Hello!\`, or \`Hello <name>!\` when a name is given. */
export function greet(name?: string): string {
  return name === undefined ? 'Hello!' : \`Hello \${name}!\`;
}
`,
    'src/rest/routes.ts': `import { textResponses } from '@simple-rest/module-contract';
import type { FastifyPluginAsync } from 'fastify';
import { greet } from '../core/greeting.js';

const nameParams = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
  required: ['name'],
} as const;

/** The routes, relative to whatever prefix the host mounts them at. The host adds the rest. */
export const greetingRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { summary: 'Greet anyone', response: textResponses('\`Hello!\`') } }, async () => greet());
  app.get<{ Params: { name: string } }>(
    '/:name/',
    { schema: { summary: 'Greet someone by name', params: nameParams, response: textResponses('\`Hello <name>!\`') } },
    async (request) => greet(request.params.name),
  );
};
`,
    'test/core/greeting.test.ts': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { greet } from '../../src/core/greeting.js';

test('greets anyone, or someone by name', () => {
  assert.equal(greet(), 'Hello!');
  assert.equal(greet('Kalimaha'), 'Hello Kalimaha!');
});
`,
    'test/rest/routes.test.ts': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mountModule } from '@simple-rest/testing';
import module from '../../src/index.js';

test('GET ${prefix}/Kalimaha/ greets by name, in the host that will serve it', async (t) => {
  const app = await mountModule(module);
  t.after(() => app.close());
  const res = await app.inject({ url: '${prefix}/Kalimaha/' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(res.body, 'Hello Kalimaha!');
});
`,
    'test/conformance.test.ts': `// What the host promises every module: redirects, problem JSON, negotiation, HEAD, OpenAPI, …
import { testModule } from '@simple-rest/testing';
import module from '../src/index.js';

testModule(module);
`,
    'README.md': `# ${name}

A [simple-rest](https://github.com/simple-rest/simple-rest) module: a pure \`core\` (\`src/core/\`,
no HTTP) and a \`rest\` layer (\`src/rest/\`) that the host mounts at any prefix (\`${prefix}\` by
default).

\`\`\`sh
npm install && npm test   # unit tests, route tests in the real host, and the conformance kit
npm pack                  # builds dist/ and packs ${name.replace('@', '').replace('/', '-')}-0.1.0.tgz
\`\`\`

Mount it in a simple-rest service by installing the package beside the service and naming it:

\`\`\`sh
MODULES='@simple-rest/blueprint=/blueprint,${name}@^0.1=${prefix}'
\`\`\`

The version range is checked at start-up, and so is the contract range in \`peerDependencies\`.
`,
  };
}
