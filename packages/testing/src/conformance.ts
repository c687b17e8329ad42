import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isRestModule, type Prefix, type RestModule } from '@simple-rest/module-contract';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import fp from 'fastify-plugin';
import { ResponseChecker } from './documented.js';
import { type MountOptions, mountModule } from './host.js';
import { lintOpenApi } from './openapi-lint.js';
import { assertProperty } from './property.js';
import { type ModuleRoute, routeRecorder } from './routes.js';
import { type TestIssuer, testIssuer } from './tokens.js';

export interface ConformanceOptions {
  /** Where the host mounts the module for the checks; its defaultPrefix when omitted. */
  readonly prefix?: Prefix;
  /**
   * Values for route parameters whose schema declares no `examples`; `Kalimaha` when omitted.
   * Each route is asked once per value.
   */
  readonly names?: readonly string[];
  /** The module's package.json; the nearest one above the test file when omitted. */
  readonly packageJson?: URL | string;
  /** The environment the module's settings are read from; none set (their defaults) when omitted. */
  readonly settings?: Readonly<Record<string, string>>;
  /** The host's database for a module that declares one: the embedded one in memory when omitted. */
  readonly database?: MountOptions['database'];
  /**
   * Seeds state on each fresh instance before it is checked, such as the items the examples name.
   * Any answer of 400 or more while it runs fails the kit, naming the request and the answer.
   */
  readonly setup?: (kit: SetupKit) => Promise<unknown> | unknown;
}

/** What `setup` gets: the fresh instance, where the module is mounted, and requests with tokens. */
export interface SetupKit {
  readonly app: FastifyInstance;
  readonly prefix: Prefix;
  /**
   * `app.inject(request)` with a bearer token granting `scopes`, or every scope the module's
   * routes declare when omitted: how a protected module seeds itself.
   */
  request(request: InjectOptions & { readonly scopes?: readonly string[] }): Promise<LightMyRequestResponse>;
}

/** The service's body limit when the kit mounts a module (the host's default, 1 MiB). */
const SERVICE_BODY_LIMIT = 1_048_576;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TRIED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ORIGIN = 'https://conformance.example';

interface Schemas {
  readonly params?: { readonly properties?: Record<string, { readonly examples?: readonly unknown[] }> };
  readonly querystring?: {
    readonly examples?: readonly Record<string, unknown>[];
    readonly properties?: Record<string, { readonly examples?: readonly unknown[] }>;
  };
  readonly body?: {
    readonly type?: unknown;
    readonly required?: readonly string[];
    readonly examples?: readonly unknown[];
  };
  readonly consumes?: readonly string[];
}

const schemasOf = (route: ModuleRoute) => route.schema as Schemas;

/** The route's path with each `:param` filled from its schema's examples, else from `names`. */
function urlsOf(route: ModuleRoute, names: readonly string[]): string[] {
  const params = [...route.path.matchAll(/:([^/]+)/g)].map(([, name = '']) => name);
  const valuesOf = (name: string) => (schemasOf(route).params?.properties?.[name]?.examples ?? names).map(String);
  const count = Math.max(1, ...params.map((name) => valuesOf(name).length));
  const urls = Array.from({ length: count }, (_, index) =>
    route.path.replace(/:([^/]+)/g, (_match, name: string) => {
      const values = valuesOf(name);
      return encodeURIComponent(values[index % values.length] ?? '');
    }),
  );
  const query = queryOf(route);
  return [...new Set(urls)].map((url) => url + query);
}

/** A query string from the querystring schema's first example, or its properties' examples. */
function queryOf(route: ModuleRoute): string {
  const schema = schemasOf(route).querystring;
  const example =
    schema?.examples?.[0] ??
    Object.fromEntries(
      Object.entries(schema?.properties ?? {}).flatMap(([name, property]) =>
        property.examples === undefined ? [] : [[name, property.examples[0]]],
      ),
    );
  const query = new URLSearchParams(
    Object.entries(example).map(([name, value]): [string, string] => [name, String(value)]),
  ).toString();
  return query === '' ? '' : `?${query}`;
}

/** The request a route's examples make: its method, URL and, for a body, the first body example. */
function exampleRequest(route: ModuleRoute, url: string): InjectOptions {
  const body = schemasOf(route).body;
  if (body === undefined) return { method: route.method as 'GET', url };
  return { method: route.method as 'GET', url, payload: JSON.stringify(body.examples?.[0] ?? {}), headers: jsonType };
}

const jsonType = { 'content-type': 'application/json' };
const pathOf = (url: string) => url.split('?', 1)[0] ?? url;

/**
 * Registers node:test tests that mount the module in the real host and check what the host
 * promises for every module, and that every route answers as it documents. A failure names the
 * promise and the route that broke it.
 */
export function testModule(module: RestModule, options: ConformanceOptions = {}): void {
  describe(`${String((module as { name?: unknown }).name)} keeps the host's promises`, () => {
    test('its default export is a RestModule (defineModule)', () => {
      assert.ok(isRestModule(module), 'the module does not fulfil the RestModule contract');
    });
    if (!isRestModule(module)) return;

    const prefix = options.prefix ?? module.defaultPrefix;
    const names = options.names ?? ['Kalimaha'];

    // Tokens for routes that declare scopes, from an issuer of the kit's own.
    let issuer: Promise<TestIssuer> | undefined;
    /** The request with a bearer token holding the route's scopes, when it needs one. */
    async function authorized(route: ModuleRoute, request: InjectOptions): Promise<InjectOptions> {
      if (route.scopes.length === 0) return request;
      issuer ??= testIssuer();
      const token = await (await issuer).token(route.scopes);
      return {
        ...request,
        headers: { ...(request.headers as Record<string, string>), authorization: `Bearer ${token}` },
      };
    }

    /** A new instance of the module in a new host, seeded by setup, closed when the test ends. */
    async function fresh(t: TestContext) {
      const recorder = routeRecorder();
      const refusals = refusalRecorder();
      issuer ??= testIssuer();
      const app = await mountModule(module, {
        prefix,
        instrumentation: fp(async (host) => {
          await host.register(recorder.plugin);
          await host.register(refusals.plugin);
        }),
        auth: (await issuer).auth,
        ...(options.settings && { settings: options.settings }),
        ...(options.database && { database: options.database }),
      });
      t.after(() => app.close());
      const routes = recorder.routesOf(module);
      if (options.setup) await seed(options.setup, app, routes, refusals);
      return { app, routes, checker: new ResponseChecker(app.getSchemas()) };
    }
    async function seed(
      setup: NonNullable<ConformanceOptions['setup']>,
      app: FastifyInstance,
      routes: readonly ModuleRoute[],
      refusals: ReturnType<typeof refusalRecorder>,
    ) {
      const everyScope = [...new Set(routes.flatMap((route) => route.scopes))];
      const request: SetupKit['request'] = async ({ scopes = everyScope, ...options }) => {
        if (scopes.length === 0) return app.inject(options);
        issuer ??= testIssuer();
        const token = await (await issuer).token(scopes);
        const headers = { ...(options.headers as Record<string, string>), authorization: `Bearer ${token}` };
        return app.inject({ ...options, headers });
      };
      const refused = await refusals.during(() => setup({ app, prefix, request }));
      assert.deepEqual(refused, [], `setup was refused:\n  ${refused.join('\n  ')}`);
    }
    /** Every route but a module's own HEAD routes, which HEAD's own check covers. */
    const ownRoutes = (routes: readonly ModuleRoute[]) => routes.filter((route) => route.method !== 'HEAD');
    const broke = (promise: string, request: InjectOptions, res: LightMyRequestResponse, why = '') =>
      `promise "${promise}" broken by ${request.method ?? 'GET'} ${request.url}: ${res.statusCode} ${res.headers['content-type'] ?? ''} ${res.body.slice(0, 200)}${why && `\n  ${why}`}`;

    test('its name and version are those of its package.json', () => {
      const manifest = JSON.parse(readFileSync(options.packageJson ?? nearestPackageJson(), 'utf8')) as {
        name?: string;
        version?: string;
      };
      assert.equal(module.name, manifest.name, 'promise "name matches package.json" broken');
      assert.equal(module.version, manifest.version, 'promise "version matches package.json" broken');
    });

    if (module.database !== undefined) {
      test('its migrations apply on an empty database, and a second time find nothing to do', async (t) => {
        // Always a new embedded database, in memory: the one the tests share is not empty.
        const app = await mountModule(module, {
          prefix,
          auth: 'disabled',
          ...(options.settings && { settings: options.settings }),
        });
        t.after(() => app.close());
        const first = await app.platform.migrate(module);
        assert.ok(first.ran.length > 0, 'promise "migrations apply on an empty database" broken: none ran');
        assert.equal(first.database, first.code, 'promise "migrations reach the last one" broken');
        const second = await app.platform.migrate(module);
        assert.deepEqual(second.ran, [], 'promise "migrations run once" broken: some ran again');
      });
    }

    for (const name of Object.keys(module.jobs ?? {})) {
      test(`its job "${name}" runs once without failing`, async (t) => {
        const { app } = await fresh(t);
        await app.platform.jobs.runNow(module, name);
      });
    }

    test('it declares at least one route', async (t) => {
      const { routes } = await fresh(t);
      assert.ok(routes.length > 0, 'promise "the module serves something" broken: no route registered');
    });

    test('every route, asked with its examples, answers as it documents (status, content type, body)', async (t) => {
      const { routes } = await fresh(t);
      for (const route of ownRoutes(routes)) {
        // Each route on an instance of its own, so one route's write does not change another's answer.
        const { app, checker } = await fresh(t);
        for (const url of urlsOf(route, names)) {
          const request = await authorized(route, exampleRequest(route, url));
          const res = await app.inject(request);
          const why = checker.problemWith(route.schema, res);
          assert.equal(why, undefined, broke('every answer is documented', request, res, why));
          assert.ok(res.statusCode < 500, broke('the examples are served', request, res));
        }
      }
    });

    test('HEAD answers like GET, without a body', async (t) => {
      const { app, routes } = await fresh(t);
      for (const route of routes.filter(({ method }) => method === 'GET')) {
        for (const url of urlsOf(route, names)) {
          const get = await app.inject(await authorized(route, { url }));
          const request = await authorized(route, { method: 'HEAD', url });
          const res = await app.inject(request);
          assert.equal(res.statusCode, get.statusCode, broke('HEAD works wherever GET does', request, res));
          assert.equal(res.body, '', broke('HEAD has no body', request, res));
        }
      }
    });

    test('a text route gives a client that prefers JSON {"message": …}', async (t) => {
      const { app, routes } = await fresh(t);
      for (const route of routes.filter(({ method }) => method === 'GET')) {
        for (const url of urlsOf(route, names)) {
          const plain = await app.inject(await authorized(route, { url }));
          if (plain.statusCode !== 200 || !plain.headers['content-type']?.toString().startsWith('text/plain')) continue;
          const request = await authorized(route, { url, headers: { accept: 'application/json' } });
          const res = await app.inject(request);
          assert.equal(res.statusCode, 200, broke('JSON negotiation', request, res));
          assert.equal(
            res.headers['content-type'],
            'application/json; charset=utf-8',
            broke('JSON negotiation', request, res),
          );
          const { message } = res.json<{ message?: unknown }>();
          assert.equal(typeof message, 'string', broke('JSON negotiation', request, res));
        }
      }
    });

    test('the slash-less form of every route redirects with 308 to the slashed one, method and query kept', async (t) => {
      const { app, routes } = await fresh(t);
      for (const route of ownRoutes(routes).filter(({ path }) => path.endsWith('/'))) {
        for (const url of urlsOf(route, names)) {
          const path = pathOf(url);
          const request = { ...exampleRequest(route, `${path.slice(0, -1)}?q=1`) };
          const res = await app.inject(request);
          assert.equal(res.statusCode, 308, broke('slash-less redirects with 308', request, res));
          assert.equal(res.headers.location, `${path}?q=1`, broke('the redirect keeps the query', request, res));
        }
      }
    });

    test('a method a path does not have answers 405 with Allow', async (t) => {
      const { app, routes } = await fresh(t);
      for (const [path, methods] of methodsByPath(routes)) {
        const missing = TRIED_METHODS.find((method) => !methods.has(method));
        if (missing === undefined) continue;
        const url = urlsOf({ ...(routes.find((route) => route.path === path) as ModuleRoute), path }, names)[0] ?? path;
        const request = { method: missing as 'GET', url: pathOf(url) };
        const res = await app.inject(request);
        assertProblem(res, 405, broke('a missing method is 405', request, res));
        const allow = [...new Set([...methods, 'OPTIONS'])].sort().join(', ');
        assert.equal(res.headers.allow, allow, broke('405 says Allow', request, res));
      }
    });

    test('a CORS preflight allows the methods each path has, and Content-Type', async (t) => {
      const { app, routes } = await fresh(t);
      for (const route of ownRoutes(routes)) {
        const url = pathOf(urlsOf(route, names)[0] ?? route.path);
        const request = {
          method: 'OPTIONS' as const,
          url,
          headers: { origin: ORIGIN, 'access-control-request-method': route.method },
        };
        const res = await app.inject(request);
        assert.equal(res.statusCode, 204, broke('preflights are answered', request, res));
        const allowed = String(res.headers['access-control-allow-methods'] ?? '').split(/,\s*/);
        assert.ok(allowed.includes(route.method), broke(`the preflight allows ${route.method}`, request, res));
        assert.match(
          String(res.headers['access-control-allow-headers'] ?? ''),
          /content-type/i,
          broke('the preflight allows Content-Type', request, res),
        );
      }
    });

    /** Each write with a body schema, asked at its first example URL. */
    const writesOf = (routes: readonly ModuleRoute[]) =>
      ownRoutes(routes).flatMap((route) => {
        const body = schemasOf(route).body;
        return BODY_METHODS.has(route.method) && body !== undefined
          ? [{ route, body, url: urlsOf(route, names)[0] ?? route.path }]
          : [];
      });

    test('a write refuses a body its schema does not take: 400 problem JSON saying what in the body', async (t) => {
      const { app, routes } = await fresh(t);
      for (const { route, body, url } of writesOf(routes)) {
        const request = await authorized(route, {
          method: route.method as 'PUT',
          url,
          payload: invalidBody(body),
          headers: jsonType,
        });
        const res = await app.inject(request);
        assertProblem(res, 400, broke('an invalid body is 400', request, res));
        const { detail = '' } = res.json<{ detail?: string }>();
        assert.match(detail, /body/, broke('the 400 says what in the body', request, res));
      }
    });

    test('a write refuses a content type it does not take, or a charset other than UTF-8: 415', async (t) => {
      const { app, routes } = await fresh(t);
      for (const { route, url } of writesOf(routes)) {
        const takesText = (schemasOf(route).consumes ?? []).includes('text/plain');
        for (const type of [
          takesText ? 'application/x-unknown' : 'text/plain',
          'application/json; charset=iso-8859-1',
        ]) {
          const request = await authorized(route, { ...exampleRequest(route, url), headers: { 'content-type': type } });
          const res = await app.inject(request);
          assertProblem(res, 415, broke('a content type the route does not take is 415', request, res, type));
        }
      }
    });

    test('a write refuses a body over its limit: 413', async (t) => {
      const { app, routes } = await fresh(t);
      for (const { route, url } of writesOf(routes)) {
        const limit = route.bodyLimit ?? SERVICE_BODY_LIMIT;
        const payload = `"${'x'.repeat(limit - 1)}"`;
        const request = await authorized(route, { method: route.method as 'PUT', url, payload, headers: jsonType });
        const res = await app.inject(request);
        const promise = `a body over the limit (${limit} bytes) is 413`;
        assertProblem(res, 413, broke(promise, { ...request, payload: '…' }, res));
      }
    });

    test('a route that declares scopes answers 401 without a token, and 403 to a token without its scopes', async (t) => {
      const { app, routes } = await fresh(t);
      for (const route of ownRoutes(routes).filter(({ scopes }) => scopes.length > 0)) {
        const request = exampleRequest(route, urlsOf(route, names)[0] ?? route.path);
        const anonymous = await app.inject(request);
        assertProblem(anonymous, 401, broke('no token is 401', request, anonymous));
        assert.match(
          String(anonymous.headers['www-authenticate']),
          /^Bearer /,
          broke('401 says Bearer', request, anonymous),
        );
        issuer ??= testIssuer();
        const unscoped = {
          ...request,
          headers: { ...(request.headers as object), authorization: `Bearer ${await (await issuer).token([])}` },
        };
        const res = await app.inject(unscoped);
        assertProblem(res, 403, broke('a token without the scopes is 403', unscoped, res));
        assert.match(
          String(res.headers['www-authenticate']),
          /error="insufficient_scope"/,
          broke('403 says insufficient_scope', unscoped, res),
        );
      }
    });

    test('/readyz answers 200 with the module mounted (its ready(), if any, resolves in time)', async (t) => {
      const { app } = await fresh(t);
      const res = await app.inject({ url: '/readyz' });
      assert.equal(
        res.statusCode,
        200,
        `promise "the module is ready" broken: /readyz answered ${res.statusCode} ${res.body}`,
      );
    });

    test('an unknown path under the prefix is a 404 problem', async (t) => {
      const { app } = await fresh(t);
      const request = { url: `${prefix}/no/such/route/` };
      const res = await app.inject(request);
      assertProblem(res, 404, broke('an unknown path is 404', request, res));
    });

    test('any parameter, any encoding: a 2xx, 3xx or 4xx, never a 5xx; every 4xx is problem JSON', async (t) => {
      const { app, routes } = await fresh(t);
      const parameterized = ownRoutes(routes).filter((route) => route.path.includes(':'));
      if (parameterized.length === 0) return;
      const segment = fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent),
        fc.stringMatching(/^(%[0-9A-Fa-f]{0,2}|[a-z.]){1,12}$/),
        fc.constantFrom('%FF', '%00', '%2F', '..', '%0D%0A', 'n'.repeat(1500)),
      );
      await assertProperty(
        t.name,
        // Drawn by index, so a counterexample reads as a number, not a whole route schema.
        fc.asyncProperty(fc.nat(parameterized.length - 1), segment, fc.boolean(), async (index, value, slash) => {
          const route = parameterized[index] as ModuleRoute;
          const path = route.path.replace(/:[^/]+/g, () => value);
          const request = await authorized(route, exampleRequest(route, slash ? path : path.replace(/\/$/, '')));
          const res = await app.inject(request);
          assert.ok(res.statusCode < 500, broke('never a 5xx', request, res));
          if (res.statusCode >= 400) assertProblem(res, res.statusCode, broke('errors are problem JSON', request, res));
        }),
        { numRuns: 200 },
      );
    });

    test("/openapi.json with the module mounted passes the OpenAPI linter (Redocly's recommended rules)", async (t) => {
      const { app } = await fresh(t);
      const problems = await lintOpenApi((await app.inject({ url: '/openapi.json' })).json());
      assert.deepEqual(problems, [], `promise "the document passes the linter" broken:\n${problems.join('\n')}`);
    });

    test(`every route is in /openapi.json under the tag "${module.openapi.tag}"`, async (t) => {
      const { app, routes } = await fresh(t);
      const document = (await app.inject({ url: '/openapi.json' })).json() as {
        paths: Record<string, Record<string, { tags?: string[] }>>;
        tags: { name: string }[];
      };
      assert.ok(
        document.tags.some((tag) => tag.name === module.openapi.tag),
        `promise "the module's tag is documented" broken: no tag ${module.openapi.tag} in /openapi.json`,
      );
      for (const route of ownRoutes(routes)) {
        const documented = route.path.replace(/:([^/]+)/g, '{$1}');
        const operation = document.paths[documented]?.[route.method.toLowerCase()];
        assert.ok(
          operation,
          `promise "every route is documented" broken: ${route.method} ${documented} is not in /openapi.json`,
        );
        assert.deepEqual(
          operation.tags,
          [module.openapi.tag],
          `${route.method} ${documented} is not under its module's tag`,
        );
      }
    });
  });
}

/**
 * Records every answer of 400 or more the host gives while `during` runs: a setup that the host
 * refuses (a write without a token: 401) would otherwise leave the instance unseeded, and the
 * checks that need its items would pass on 404s.
 */
function refusalRecorder() {
  let refused: string[] | undefined;
  const plugin = fp((app, _options, done) => {
    app.addHook('onSend', (request, reply, payload, next) => {
      if (refused && reply.statusCode >= 400) {
        const body = typeof payload === 'string' ? payload.slice(0, 200) : '';
        refused.push(`${request.method} ${request.url}: ${reply.statusCode} ${body}`);
      }
      next();
    });
    done();
  });
  const during = async (work: () => unknown): Promise<string[]> => {
    refused = [];
    try {
      await work();
      return refused;
    } finally {
      refused = undefined;
    }
  };
  return { plugin, during };
}

/** Each path of the module with every method it has, and HEAD wherever GET is (the host answers it with GET's route). */
function methodsByPath(routes: readonly ModuleRoute[]): Map<string, Set<string>> {
  const byPath = new Map<string, Set<string>>();
  for (const { path, method } of routes) {
    const methods = byPath.get(path) ?? new Set<string>();
    methods.add(method);
    if (method === 'GET') methods.add('HEAD');
    byPath.set(path, methods);
  }
  return byPath;
}

/** A body the route's schema refuses: its example without a required property, else the wrong type. */
function invalidBody(schema: NonNullable<Schemas['body']>): string {
  const [example] = schema.examples ?? [];
  const [required] = schema.required ?? [];
  if (required !== undefined && typeof example === 'object' && example !== null) {
    const { [required]: _, ...rest } = example as Record<string, unknown>;
    return JSON.stringify(rest);
  }
  return schema.type === 'array' ? '{}' : '[]';
}

function assertProblem(res: LightMyRequestResponse, status: number, message: string): void {
  assert.equal(res.statusCode, status, message);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', message);
  assert.equal((res.json() as { status?: unknown }).status, status, message);
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
