import type { RestModule } from '@simple-rest/module-contract';
import { documentedSchema } from '@simple-rest/service';
import type { FastifyPluginCallback, FastifySchema, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';

/** One method of one route of a module, as the host registered it. */
export interface ModuleRoute {
  readonly method: string;
  /** The route's path with the prefix, `:params` unfilled; a module's root is `/prefix/`. */
  readonly path: string;
  /** The schema as the host documents it: the module's, with the problem answers the host adds. */
  readonly schema: FastifySchema;
  /** The route's own body limit, if it lowers the service's. */
  readonly bodyLimit: number | undefined;
  /** The scopes a token needs for it; none for a public route. */
  readonly scopes: readonly string[];
}

/** How the host tags a module's routes (the service's rest/routes/modules.ts). */
interface ServedByConfig {
  readonly servedBy?: { readonly name: string };
}

interface Recorded {
  readonly methods: readonly string[];
  readonly path: string;
  /** The options object itself: the host tags it with its module (config.servedBy) after this hook, which runs first, as instrumentation. */
  readonly route: RouteOptions;
}

/**
 * Records every route the host registers, to be read once the app is ready: `routesOf(module)`
 * then lists the module's (tagged by the host as served by it), one entry per method (HEAD only
 * where the module registers it: the host answers HEAD with the GET route).
 */
export function routeRecorder(): { plugin: FastifyPluginCallback; routesOf(module: RestModule): ModuleRoute[] } {
  const recorded: Recorded[] = [];
  const plugin = fp((app, _options, done) => {
    app.addHook('onRoute', (route) => {
      // A route at the prefix's root is registered as `/prefix` and `/prefix/`, with one hook call.
      const path =
        route.prefix !== '' && (route as { routePath?: string }).routePath === '' ? `${route.url}/` : route.url;
      recorded.push({ methods: [route.method].flat(), path, route });
    });
    done();
  });
  const routesOf = (module: RestModule) =>
    recorded
      .filter(({ route }) => (route.config as ServedByConfig | undefined)?.servedBy?.name === module.name)
      .flatMap(({ methods, path, route }) =>
        methods.map((method) => ({
          method,
          path,
          schema: documentedSchema(route) ?? {},
          bodyLimit: route.bodyLimit,
          scopes: route.config?.scopes ?? [],
        })),
      );
  return { plugin, routesOf };
}
