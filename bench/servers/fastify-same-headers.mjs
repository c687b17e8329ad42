// The framework's floor: Fastify 5 answering the four contract routes with the service's headers
// (precomputed, set in one onRequest hook, a fresh request id) and its params validation, and
// nothing else: no metrics, no negotiation, no load shedding, no logging.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { SAME_FOR_EVERY_RESPONSE } from './same-headers.mjs';

const app = Fastify({ genReqId: () => randomUUID(), keepAliveTimeout: 72_000 });
app.addHook('onRequest', (request, reply, done) => {
  reply.header('x-request-id', request.id).headers(SAME_FOR_EVERY_RESPONSE);
  done();
});
const named = { params: { type: 'object', properties: { name: { type: 'string', maxLength: 100 } } } };
app.get('/', async () => 'Hallo from CORE!');
app.get('/:name/', { schema: named }, async (request) => `Hallo ${request.params.name} from CORE!`);
app.get('/blueprint/', async () => 'Hallo!');
app.get('/blueprint/:name/', { schema: named }, async (request) => `Hallo ${request.params.name}!`);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
