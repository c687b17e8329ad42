// The four contract routes on Fastify 5 with no plugin: what the framework alone costs, so the
// gap between it and simple-rest is what the service's features cost.
import Fastify from 'fastify';

const app = Fastify({ ignoreTrailingSlash: false });
app.get('/', async () => 'Hallo from CORE!');
app.get('/:name/', async (request) => `Hallo ${request.params.name} from CORE!`);
app.register(
  async (blueprint) => {
    blueprint.get('/', async () => 'Hallo!');
    blueprint.get('/:name/', async (request) => `Hallo ${request.params.name}!`);
  },
  { prefix: '/blueprint' },
);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
