// Route groups tag their routes before any plugin's onRoute hook sees them (src/rest/routes/groups.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { routeGroups } from '../../../src/rest/routes/groups.js';

test("a plugin registered after the groups' hook reads each route's tag as the route registers, in nested scopes too", async (t) => {
  // One route per path: no HEAD route beside each GET, as the service has it.
  const app = Fastify({ exposeHeadRoutes: false });
  t.after(() => app.close());
  const groups = routeGroups(app);
  const seen: string[] = [];
  await app.register(
    fp(async (plugin) => {
      plugin.addHook('onRoute', (route) => {
        seen.push(`${route.url} ${String(route.config?.servedBy?.name ?? 'untagged')}`);
      });
    }),
  );
  const tagged = (name: string) => ({
    tag: (route: { config?: object }) => {
      route.config = { ...route.config, servedBy: { name, version: '1.0.0' } };
    },
  });
  await groups.mount(app, {
    routes: async (scope) => {
      scope.get('/a/', async () => 'a');
      await scope.register(
        async (nested) => {
          nested.get('/b/', async () => 'b');
        },
        { prefix: '/deep' },
      );
    },
    ...tagged('first'),
  });
  await app.register(async (api) => {
    await groups.mount(api, { routes: async (scope) => void scope.get('/c/', async () => 'c'), ...tagged('second') });
  });
  app.get('/outside/', async () => 'outside');
  await app.ready();
  assert.deepEqual(seen, ['/a/ first', '/deep/b/ first', '/c/ second', '/outside/ untagged']);
  assert.equal((await app.inject({ url: '/deep/b/' })).body, 'b');
});
