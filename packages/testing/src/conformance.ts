import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isRestModule, type Prefix, type RestModule } from '@simple-rest/module-contract';
import fc from 'fast-check';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { mountModule } from './host.js';
import { lintOpenApi } from './openapi-lint.js';
import { assertProperty } from './property.js';

export interface ConformanceOptions {
  /** Where the host mounts the module for the checks; its defaultPrefix when omitted. */
  readonly prefix?: Prefix;
  /** Values for route parameters that the module answers with 200; `Kalimaha` when omitted. */
  readonly names?: readonly string[];
  /** The module's package.json; the nearest one above the test file when omitted. */
  readonly packageJson?: URL | string;
}

/** A GET route of the module, as registered, relative to the prefix: `/`, `/:name/`. */
interface ModuleRoute {
  readonly path: string;
}

/** The route's path with every `:param` replaced by `value`. */
function fillParams({ path }: ModuleRoute, value: string): string {
  return path.replace(/:[^/]+/g, () => value);
}

/**
 * Registers node:test tests that mount the module in the real host and check what the host
 * promises for every module. A failure names the promise and the route that broke it.
 */
export function testModule(module: RestModule, options: ConformanceOptions = {}): void {
  describe(`${String((module as { name?: unknown }).name)} keeps the host's promises`, () => {
    test('its default export is a RestModule (defineModule)', () => {
      assert.ok(isRestModule(module), 'the module does not fulfil the RestModule contract');
    });
    if (!isRestModule(module)) return;

    const prefix = options.prefix ?? module.defaultPrefix;
    const names = options.names ?? ['Kalimaha'];
    let app: FastifyInstance;
    let routes: readonly ModuleRoute[];
    before(async () => {
      routes = await getRoutesOf(module);
      app = await mountModule(module, { prefix });
    });
    after(() => app?.close());

    const urlsOf = (route: ModuleRoute) => names.map((name) => prefix + fillParams(route, encodeURIComponent(name)));
    const broke = (promise: string, url: string, res: LightMyRequestResponse, method = 'GET') =>
      `promise "${promise}" broken by ${method} ${url}: ${res.statusCode} ${res.headers['content-type']} ${res.body.slice(0, 200)}`;

    test('its name and version are those of its package.json', () => {
      const manifest = JSON.parse(readFileSync(options.packageJson ?? nearestPackageJson(), 'utf8')) as {
        name?: string;
        version?: string;
      };
      assert.equal(module.name, manifest.name, 'promise "name matches package.json" broken');
      assert.equal(module.version, manifest.version, 'promise "version matches package.json" broken');
    });

    test('it declares at least one GET route', () => {
      assert.ok(routes.length > 0, 'promise "the module serves something" broken: no GET route registered');
    });

    test('every GET route answers 200 in plain text', async () => {
      for (const url of routes.flatMap(urlsOf)) {
        const res = await app.inject({ url });
        assert.equal(res.statusCode, 200, broke('every GET route answers 200', url, res));
        assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8', broke('answers are text', url, res));
      }
    });

    test('the slash-less form of every route redirects with 308 to the slashed one, query kept', async () => {
      for (const url of routes.flatMap(urlsOf).filter((url) => url.endsWith('/'))) {
        const slashless = `${url.slice(0, -1)}?q=1`;
        const res = await app.inject({ url: slashless });
        assert.equal(res.statusCode, 308, broke('slash-less redirects with 308', slashless, res));
        assert.equal(res.headers.location, `${url}?q=1`, broke('the redirect keeps the query', slashless, res));
      }
    });

    test('a client that prefers JSON gets {"message": …}', async () => {
      for (const url of routes.flatMap(urlsOf)) {
        const res = await app.inject({ url, headers: { accept: 'application/json' } });
        assert.equal(res.statusCode, 200, broke('JSON negotiation', url, res));
        assert.equal(
          res.headers['content-type'],
          'application/json; charset=utf-8',
          broke('JSON negotiation', url, res),
        );
        assert.equal(
          typeof (res.json() as { message?: unknown }).message,
          'string',
          broke('JSON negotiation', url, res),
        );
      }
    });

    test('HEAD answers like GET, without a body', async () => {
      for (const url of routes.flatMap(urlsOf)) {
        const res = await app.inject({ method: 'HEAD', url });
        assert.equal(res.statusCode, 200, broke('HEAD works wherever GET does', url, res, 'HEAD'));
        assert.equal(res.body, '', broke('HEAD has no body', url, res, 'HEAD'));
      }
    });

    test('/readyz answers 200 with the module mounted (its ready(), if any, resolves in time)', async () => {
      const res = await app.inject({ url: '/readyz' });
      assert.equal(
        res.statusCode,
        200,
        `promise "the module is ready" broken: /readyz answered ${res.statusCode} ${res.body}`,
      );
    });

    test('an unknown path under the prefix is a 404 problem', async () => {
      const url = `${prefix}/no/such/route/`;
      assertProblem(await app.inject({ url }), 404, url);
    });

    test('any parameter, any encoding: a 2xx, 3xx or 4xx, never a 5xx; every 4xx is problem JSON', async (t) => {
      const parameterized = routes.filter((route) => route.path.includes(':'));
      if (parameterized.length === 0) return;
      const segment = fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent),
        fc.stringMatching(/^(%[0-9A-Fa-f]{0,2}|[a-z.]){1,12}$/),
        fc.constantFrom('%FF', '%00', '%2F', '..', '%0D%0A', 'n'.repeat(1500)),
      );
      await assertProperty(
        t.name,
        fc.asyncProperty(fc.constantFrom(...parameterized), segment, fc.boolean(), async (route, value, slash) => {
          const path = fillParams(route, value);
          const url = prefix + (slash ? path : path.replace(/\/$/, ''));
          const res = await app.inject({ url });
          assert.ok(res.statusCode < 500, broke('never a 5xx', url, res));
          if (res.statusCode >= 400) assertProblem(res, res.statusCode, url);
        }),
        { numRuns: 200 },
      );
    });

    test("/openapi.json with the module mounted passes the OpenAPI linter (Redocly's recommended rules)", async () => {
      const problems = await lintOpenApi((await app.inject({ url: '/openapi.json' })).json());
      assert.deepEqual(problems, [], `promise "the document passes the linter" broken:\n${problems.join('\n')}`);
    });

    test(`its routes are in /openapi.json under the tag "${module.openapi.tag}"`, async () => {
      const document = (await app.inject({ url: '/openapi.json' })).json() as {
        paths: Record<string, { get?: { tags?: string[] } }>;
        tags: { name: string }[];
      };
      assert.ok(
        document.tags.some((tag) => tag.name === module.openapi.tag),
        `promise "the module's tag is documented" broken: no tag ${module.openapi.tag} in /openapi.json`,
      );
      for (const route of routes) {
        const documented = prefix + route.path.replace(/:([^/]+)/g, '{$1}');
        const operation = document.paths[documented]?.get;
        assert.ok(operation, `promise "every route is documented" broken: GET ${documented} is not in /openapi.json`);
        assert.deepEqual(operation.tags, [module.openapi.tag], `GET ${documented} is not under its module's tag`);
      }
    });
  });
}

function assertProblem(res: LightMyRequestResponse, status: number, url: string): void {
  const message = `promise "errors are problem JSON" broken by GET ${url}: ${res.statusCode} ${res.body.slice(0, 200)}`;
  assert.equal(res.statusCode, status, message);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', message);
  assert.equal((res.json() as { status?: unknown }).status, status, message);
}

/** The module's GET routes as it registers them, recorded on a bare app. */
async function getRoutesOf(module: RestModule): Promise<ModuleRoute[]> {
  const routes: ModuleRoute[] = [];
  const bare = Fastify();
  bare.addHook('onRoute', (route) => {
    if ([route.method].flat().includes('GET')) {
      routes.push({ path: route.url === '' ? '/' : route.url });
    }
  });
  await bare.register(module.routes);
  await bare.ready();
  await bare.close();
  return routes;
}

/** The package.json nearest above the running test file (node --test runs each file as the entry point). */
function nearestPackageJson(): string {
  let directory = dirname(resolve(process.argv[1] ?? fileURLToPath(import.meta.url)));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('no package.json above the test file: pass options.packageJson');
    directory = parent;
  }
  return join(directory, 'package.json');
}
