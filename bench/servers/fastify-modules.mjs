// Fastify 5 alone mounting the modules MODULES names, as the service would, with nothing of the
// service's: no plugin, no hook, no schema compiled (a validator and a serializer that do
// nothing), no HEAD route per GET. The start-up series' floor: what the framework itself costs a
// start for the same routes. Modules are found from MODULES_FROM, the folder they are installed in.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';

const installed = createRequire(`${process.env.MODULES_FROM}/`);
const app = Fastify({
  exposeHeadRoutes: false,
  schemaController: {
    compilersFactory: { buildValidator: () => () => () => true, buildSerializer: () => () => JSON.stringify },
  },
});
app.get('/', async () => 'Hallo from CORE!');
app.get('/:name/', async (request) => `Hallo ${request.params.name} from CORE!`);
const entries = (process.env.MODULES ?? '')
  .split(',')
  .filter(Boolean)
  .map((entry) => entry.split('='));
// Imported together, as the service imports them.
const imported = await Promise.all(entries.map(([name]) => import(pathToFileURL(installed.resolve(name)).href)));
for (const [index, { default: module }] of imported.entries()) {
  app.register(module.routes ?? module.create().routes, { prefix: entries[index][1] ?? module.defaultPrefix });
}
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
