import { PROBLEM_SCHEMA_REF, problemResponse } from '@simple-rest/module-contract';
import Fastify, {
  type FastifyInstance,
  type FastifyPluginCallback,
  type FastifyServerOptions,
  type RouteOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import { serviceInfo } from '../../info.js';
import type { MountedModule } from '../../modules.js';
import { TokenVerifier } from '../auth/token-verifier.js';

/** The security scheme of routes that declare scopes, by its name in the document. */
const SCHEME = 'openIdConnect';
// Where no AUTH_ISSUER is set (the build, tests): a URL that can never resolve, RFC 6761's .invalid.
const NO_ISSUER = 'https://issuer.invalid';

/** @fastify/swagger's document function: the JSON document, or with `{ yaml: true }` its YAML. */
export type OpenApiDocument = FastifyInstance['swagger'];

declare module 'fastify' {
  interface FastifyInstance {
    /** The OpenAPI document of every route registered after the openapi plugin, made on first use. */
    openapi(): Promise<OpenApiDocument>;
  }
}

// The document's app only reads schemas: it compiles none.
const NO_COMPILERS = {
  compilersFactory: {
    buildValidator: () => () => () => true,
    buildSerializer: () => () => JSON.stringify,
  },
} as unknown as NonNullable<FastifyServerOptions['schemaController']>;

/**
 * OpenAPI 3.1 generated from the schemas of the routes registered after it; served by the
 * operations routes. Routes that declare scopes need a token from the OpenID provider AUTH_ISSUER
 * names; every other operation says `security: []` itself (a document-level one is not copied).
 * The routes and shared schemas are recorded as they register, as @fastify/swagger records them;
 * @fastify/swagger itself (and the YAML library it loads) is loaded when the document is first
 * asked for, in an app of its own given the same routes: about 10 ms of every start otherwise
 * (docs/benchmarks.md).
 */
const openapi = fp<{ modules: readonly MountedModule[]; verifier?: TokenVerifier | 'disabled' | undefined }>(
  async (app, { modules, verifier }) => {
    const issuer = verifier instanceof TokenVerifier ? verifier.settings.issuer : undefined;
    app.addSchema(PROBLEM);
    const routes: RouteOptions[] = [];
    const scopes: FastifyInstance[] = [app];
    app.addHook('onRoute', (route) => {
      routes.push(route);
    });
    app.addHook('onRegister', (scope) => {
      scopes.push(scope);
    });
    let document: Promise<OpenApiDocument> | undefined;
    app.decorate('openapi', () => {
      document ??= documentOf(routes, scopes, swaggerOptions(modules, issuer));
      return document;
    });
  },
  { name: 'simple-rest-openapi' },
);

/** An app with @fastify/swagger and the host's routes and shared schemas, for their document. */
async function documentOf(
  routes: readonly RouteOptions[],
  scopes: readonly FastifyInstance[],
  options: SwaggerOptions,
): Promise<OpenApiDocument> {
  const { default: swagger } = await import('@fastify/swagger');
  const documentApp = Fastify({ exposeHeadRoutes: false, schemaController: NO_COMPILERS });
  for (const scope of scopes) {
    for (const [id, schema] of Object.entries(scope.getSchemas())) {
      if (documentApp.getSchema(id) === undefined) documentApp.addSchema(schema as object);
    }
  }
  await documentApp.register(swagger, options);
  for (const route of routes) {
    const { method, url, config } = route;
    const schema = documentedSchema(route);
    documentApp.route({ method, url, ...(schema && { schema }), ...(config && { config }), handler: async () => null });
  }
  await documentApp.ready();
  return documentApp.swagger.bind(documentApp) as OpenApiDocument;
}

type SwaggerOptions = SwaggerOptionsOf<typeof import('@fastify/swagger').default>;
type SwaggerOptionsOf<Plugin> = Plugin extends FastifyPluginCallback<infer Options> ? Options : never;

/** @fastify/swagger's options: the document's info, tags, security scheme and shared schemas' names. */
function swaggerOptions(modules: readonly MountedModule[], issuer: string | undefined): SwaggerOptions {
  const moduleTags = new Map(modules.map(({ module }) => [module.openapi.tag, module.openapi.description]));
  return {
    // Shared schemas keep their $id as their name under components/schemas (`Problem`).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`) },
    // The security scheme only where an operation uses it: a scheme nothing uses is a lint warning.
    transformObject: (documents) =>
      'openapiObject' in documents
        ? withoutUnusedScheme(documents.openapiObject as OpenApiObject)
        : documents.swaggerObject,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: serviceInfo.name,
        version: serviceInfo.version,
        description: 'Greetings from the service core and from the modules it mounts.',
        ...(serviceInfo.license && { license: { name: serviceInfo.license, identifier: serviceInfo.license } }),
        ...(serviceInfo.homepage && { contact: { name: serviceInfo.name, url: serviceInfo.homepage } }),
      },
      servers: [{ url: '/', description: 'This service, wherever it is reached' }],
      components: {
        securitySchemes: {
          [SCHEME]: {
            type: 'openIdConnect',
            openIdConnectUrl: `${issuer ?? NO_ISSUER}/.well-known/openid-configuration`,
            description:
              'Access tokens from the OpenID provider that AUTH_ISSUER names, with the scopes an operation lists',
          },
        },
      },
      security: [],
      tags: [
        { name: 'greetings', description: "The service's own greetings" },
        { name: 'operations', description: 'Health, readiness, version and metrics' },
        ...[...moduleTags].map(([name, description]) => ({ name, description })),
      ],
    },
  };
}

interface OpenApiObject {
  readonly paths?: Record<string, Record<string, { readonly security?: readonly Record<string, unknown>[] }>>;
  readonly components?: { readonly securitySchemes?: Record<string, unknown> };
}

function withoutUnusedScheme(document: OpenApiObject) {
  const used = Object.values(document.paths ?? {}).some((operations) =>
    Object.values(operations).some((operation) => operation.security?.some((requirement) => SCHEME in requirement)),
  );
  if (used || !document.components) return document;
  const { securitySchemes: _, ...components } = document.components;
  return { ...document, components };
}

/** RFC 9457 problem details, as every error answer carries them; modules refer to it by PROBLEM_SCHEMA_REF. */
const PROBLEM = {
  $id: PROBLEM_SCHEMA_REF.replace(/#$/, ''),
  type: 'object',
  description: 'An RFC 9457 problem document',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What was wrong with the request (4xx only)' },
  },
  required: ['type', 'title', 'status'],
} as const;

/** The problem answers the host may add to a route, made once and shared by every route. */
const HOST_ANSWERS = {
  invalid: problemResponse('The request is invalid: the detail says why'),
  overloaded: {
    ...problemResponse('Overloaded: try again after Retry-After seconds'),
    headers: { 'Retry-After': { type: 'integer', description: 'Seconds to wait' } },
  },
  noToken: problemResponse('No valid bearer token: `WWW-Authenticate` says why'),
  missingScope: problemResponse('The token lacks a scope this operation needs'),
  refused: problemResponse('The request was refused: the detail says why'),
} as const;

/**
 * A copy of a route's answers by status code that V8 keeps small, as the document's app keeps
 * one for every route. Status codes are array indexes: an object given them keeps an array as
 * long as the largest (about 5 KB for 503). An index past V8's gap limit, set and deleted first,
 * makes it keep them in a dictionary instead (about 200 bytes).
 */
function statusMap(answers: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const map: Record<string, unknown> = { [SPARSE_INDEX]: undefined };
  delete map[SPARSE_INDEX];
  return Object.assign(map, answers);
}
const SPARSE_INDEX = 2 ** 20;

/** How documentRoutes documents a route, by its options object: read when the document is made. */
interface Documentation {
  readonly tag: string;
  readonly namespace: string;
  /** Whether the route is on the API, where load shedding answers it. */
  readonly api: boolean;
  /** Its path relative to the scope's prefix, as registered. */
  readonly routePath: string;
}
const documentation = new WeakMap<object, Documentation>();

/**
 * An onRoute hook that documents every route of a scope under `tag`, with an operationId of
 * `namespace.` plus the schema's own `operationId` (`bookings.listBookings`), else the method and
 * the path relative to the scope's prefix (`blueprint.getByName`), so ids do not change with the
 * prefix. It only notes them: documentedSchema makes the
 * documentation when the document is made, so a route's own schema stays as its module wrote it
 * (in it, the host's problem answers would each cost every route a serializer, and Fastify a map
 * of them as long as the largest status code; docs/benchmarks.md).
 */
export function documentRoutes(tag: string, namespace: string, { api }: { api: boolean }) {
  return (route: RouteOptions & { routePath: string }): void => {
    if (route.schema?.hide) return;
    documentation.set(route, { tag, namespace, api, routePath: route.routePath });
  };
}

/**
 * A route's schema as the document shows it. For a route documentRoutes saw: its tag, operationId
 * and security, and besides its own answers the problem answers the host may give: 400 for a route
 * with parameters, a query or a body, 503 with Retry-After on the API (load shedding), 401 and 403
 * where it needs scopes, and any other 4xx as a problem document.
 */
export function documentedSchema(
  route: Pick<RouteOptions, 'method' | 'schema' | 'config'>,
): RouteOptions['schema'] | undefined {
  const documented = documentation.get(route);
  if (documented === undefined) return route.schema;
  const method = [route.method].flat()[0] ?? 'GET';
  const scopes = route.config?.scopes ?? [];
  const responses = statusMap(route.schema?.response as Record<string, unknown> | undefined);
  const { params, querystring, body } = route.schema ?? {};
  if (params || querystring || body) responses[400] ??= HOST_ANSWERS.invalid;
  if (documented.api) responses[503] ??= HOST_ANSWERS.overloaded;
  if (scopes.length > 0) {
    responses[401] ??= HOST_ANSWERS.noToken;
    responses[403] ??= HOST_ANSWERS.missingScope;
  }
  responses['4XX'] ??= HOST_ANSWERS.refused;
  return {
    ...route.schema,
    security: scopes.length > 0 ? [{ [SCHEME]: [...scopes] }] : [],
    tags: [documented.tag],
    operationId: `${documented.namespace}.${route.schema?.operationId ?? operationName(method, documented.routePath)}`,
    response: responses,
  };
}

/**
 * A module's operationId namespace: its package name as MODULES gave it, without the scope
 * (`blueprint`, `greet-v1`), numbered when the same name is mounted again.
 */
export function namespaceOf(packageName: string, index: number, modules: readonly MountedModule[]): string {
  const stem = (name: string) => name.replace(/^@[^/]+\//, '');
  const earlier = modules
    .slice(0, index)
    .filter((other) => stem(other.packageName ?? other.module.name) === stem(packageName));
  return earlier.length === 0 ? stem(packageName) : `${stem(packageName)}${earlier.length + 1}`;
}

/** `GET /` → `get`, `GET /:name/` → `getByName`, `GET /openapi.json` → `getOpenapiJson`. */
function operationName(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((segment) => segment !== '')
    .flatMap((segment) => (segment.startsWith(':') ? ['by', segment.slice(1)] : segment.split(/[^A-Za-z0-9]+/)));
  return [method.toLowerCase(), ...words.map((word) => word.charAt(0).toUpperCase() + word.slice(1))].join('');
}

export default openapi;
