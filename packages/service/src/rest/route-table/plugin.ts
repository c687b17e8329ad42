import type { RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay from 'find-my-way';

/** What the service serves at one path: its methods, and the request headers its routes declare. */
export interface PathEntry {
  /** Its routes' methods, and HEAD wherever GET is (the GET route answers it). */
  readonly methods: ReadonlySet<string>;
  readonly headers: ReadonlySet<string>;
  /** Whether a route of its own answers HEAD here, rather than the GET route. */
  readonly headRoute: boolean;
  /** The module whose routes these are, named in the log line of a 405; none for the host's. */
  readonly module?: string;
}

/** Every path the service serves, with its methods: what 405's Allow, the 308 and CORS preflights answer from. */
export interface RouteTable {
  /** The entry of the route pattern matching a request path (percent-encoded, no query), if any. */
  at(path: string): PathEntry | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly routeTable: RouteTable;
  }
}

/**
 * Fastify registers a route at a prefix's root as both `/x` and `/x/`, from one options object,
 * and calls onRoute hooks once, for `/x`.
 */
export const isPrefixRoot = (route: { prefix: string; routePath: string }) =>
  route.prefix !== '' && route.routePath === '';

/** Param names differ between methods of one path (`:id`, `:name`); the table keys on the shape. */
const paramShape = (url: string) => url.replace(/:[A-Za-z0-9_]+(?=\/|$)/g, ':p');

/**
 * Records every route registered after it, its modules' included, by path. OPTIONS routes are
 * left out: @fastify/cors answers `OPTIONS *`, which matches every path and would turn every
 * 404 into a 405. A path's `Allow` lists OPTIONS anyway, since the preflight answers it.
 */
const routeTable = fp(
  async (app) => {
    const router = FindMyWay();
    const entries = new Map<
      string,
      { methods: Set<string>; headers: Set<string>; headRoute: boolean; module?: string }
    >();
    // Routes are noted as they register and go into the table when it is first asked: building it
    // cost the start about 13 ms at 500 routes, and most instances are asked rarely (404, 405, HEAD,
    // preflights). The URL is taken as registered: Fastify reuses a prefix root's options for `/x/`.
    let unrouted: { url: string; prefixRoot: boolean; methods: string[]; route: RouteOptions }[] = [];
    const entryAt = (url: string) => {
      const key = paramShape(url);
      let entry = entries.get(key);
      if (entry === undefined) {
        entry = { methods: new Set(), headers: new Set(), headRoute: false };
        entries.set(key, entry);
        router.on('GET', url, () => undefined, entry);
      }
      return entry;
    };
    const add = ({ url, prefixRoot, methods, route }: (typeof unrouted)[number]) => {
      const declared = (route.schema?.headers as { properties?: Record<string, unknown> } | undefined)?.properties;
      const module = route.config?.servedBy?.name;
      for (const entry of (prefixRoot ? [url, `${url}/`] : [url]).map(entryAt)) {
        if (module !== undefined) entry.module = module;
        for (const method of methods) entry.methods.add(method);
        if (methods.includes('GET')) entry.methods.add('HEAD');
        if (methods.includes('HEAD')) entry.headRoute = true;
        for (const header of Object.keys(declared ?? {})) entry.headers.add(header.toLowerCase());
      }
    };
    app.addHook('onRoute', (route) => {
      const methods = [route.method].flat().filter((method) => method !== 'OPTIONS');
      if (methods.length > 0) unrouted.push({ url: route.url, prefixRoot: isPrefixRoot(route), methods, route });
    });
    app.decorate('routeTable', {
      at: (path: string) => {
        if (unrouted.length > 0) {
          for (const route of unrouted) add(route);
          unrouted = [];
        }
        return router.find('GET', path)?.store as PathEntry | undefined;
      },
    });
  },
  { name: 'simple-rest-route-table' },
);

/** The `Allow` header of a path: its methods and OPTIONS, in a fixed order. */
export function allowHeader(entry: PathEntry): string {
  return [...new Set([...entry.methods, 'OPTIONS'])].sort().join(', ');
}

export default routeTable;
