import type { FastifyInstance, FastifyPluginAsync, RouteOptions } from 'fastify';

/** A route as onRoute hooks see it. */
export type RegisteringRoute = RouteOptions & { routePath: string; prefix: string };

/**
 * A group of routes the host mounts (its operations, its greetings, the modules), with what it
 * adds to each of them as they register: the module that serves it, its documentation, its
 * logger. `scope` is the instance the route is registered on.
 */
export interface RouteGroup {
  readonly routes: FastifyPluginAsync;
  readonly tag: (route: RegisteringRoute, scope: FastifyInstance) => void;
}

/**
 * Mounts route groups so that each route is tagged before any concern's plugin sees it: one
 * onRoute hook, added to the app before the plugins (and so run first), tags a route with the
 * group whose scope it is registered in, or in a scope below it (a child scope is made from its
 * parent, whose prototype it keeps). Metrics, authentication and the route table then read a
 * route's module as it registers.
 */
export function routeGroups(app: FastifyInstance): {
  mount(parent: FastifyInstance, group: RouteGroup): Promise<void>;
} {
  const groups = new Map<object, RouteGroup>();
  const groupOf = (scope: object): RouteGroup | undefined => {
    for (let instance: object | null = scope; instance !== null; instance = Object.getPrototypeOf(instance)) {
      const group = groups.get(instance);
      if (group !== undefined) return group;
    }
    return undefined;
  };
  app.addHook('onRoute', function tagWithItsGroup(route) {
    groupOf(this)?.tag(route as RegisteringRoute, this);
  });
  return {
    async mount(parent, group) {
      await parent.register(async (scope) => {
        groups.set(scope, group);
        await scope.register(group.routes);
      });
    },
  };
}
