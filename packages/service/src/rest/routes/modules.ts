import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { LiveModule } from '../../module-lifecycle.js';
import { isWithin, type MountedModule } from '../../modules.js';
import { documentRoutes, namespaceOf } from '../openapi/plugin.js';
import type { RouteGroup } from './groups.js';

/**
 * Each module's routes, registered at its prefix: tagged with the module that serves them
 * (`config.servedBy`, which traces, metrics, authentication and the route table read), documented
 * under its tag, and every log line of their requests marked `"module": <package name>`. The
 * modules share one scope, their routes found by prefix (prefixes neither repeat nor nest:
 * resolveModules checks), rather than a scope of their own each, which cost every module's start an
 * encapsulation context (docs/benchmarks.md).
 */
export function moduleGroup(
  modules: readonly MountedModule[],
  instances: readonly LiveModule[],
  hostLoggerFactory: FastifyInstance['childLoggerFactory'],
): RouteGroup {
  // What the host adds to each route of one mounted module, by its prefix.
  const mounts = new Map(
    modules.map(({ module, prefix, packageName = module.name }, index) => [
      prefix as string,
      {
        servedBy: { name: module.name, version: module.version },
        document: documentRoutes(module.openapi.tag, namespaceOf(packageName, index, modules), { api: true }),
        childLoggerFactory: markedWithModule(hostLoggerFactory, module.name),
      },
    ]),
  );
  const mountOf = (routePrefix: string) =>
    mounts.get(routePrefix) ??
    [...mounts].find(([prefix]) => isWithin(routePrefix, prefix))?.[1] ??
    // Only module routes are registered in this group's scope, each below its module's prefix.
    unreachable(routePrefix);
  return {
    routes: async (scope) => {
      for (const { module, prefix } of modules) {
        const instance = instances.find((live) => live.module === module)?.instance;
        if (instance) await scope.register(atItsPrefix(instance.routes), { prefix });
      }
    },
    tag: (route, scope) => {
      const mount = mountOf(route.prefix);
      route.config = { ...route.config, servedBy: mount.servedBy };
      mount.document(route);
      // A module that chose its own child logger factory keeps it, as it would in a scope of its own.
      if (route.childLoggerFactory === undefined && scope.childLoggerFactory === hostLoggerFactory) {
        route.childLoggerFactory = mount.childLoggerFactory;
      }
    },
  };
}

/**
 * A module's routes plugin as it can be registered at a prefix. Fastify ignores the prefix of a
 * plugin that skips encapsulation (one wrapped with fastify-plugin), so such a one is registered
 * in a scope of its own, which carries the prefix.
 */
function atItsPrefix(routes: FastifyPluginAsync): FastifyPluginAsync {
  if (!(routes as { [SKIPS_ENCAPSULATION]?: boolean })[SKIPS_ENCAPSULATION]) return routes;
  return async (scope) => {
    await scope.register(routes);
  };
}
const SKIPS_ENCAPSULATION = Symbol.for('skip-override');

/** The host's child logger factory, with every request's logger marked `"module": <name>`. */
function markedWithModule(
  hostLoggerFactory: FastifyInstance['childLoggerFactory'],
  name: string,
): FastifyInstance['childLoggerFactory'] {
  return function moduleChildLogger(logger, bindings, logOptions, rawRequest) {
    return hostLoggerFactory.call(this, logger, { ...bindings, module: name }, logOptions, rawRequest);
  };
}

function unreachable(routePrefix: string): never {
  throw new Error(`a route at ${routePrefix} is below no module's prefix`);
}
