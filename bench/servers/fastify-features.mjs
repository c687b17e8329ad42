// Fastify 5 with the service's features, put together the way its documentation shows: security
// headers (@fastify/helmet), CORS (@fastify/cors), request ids, route metrics (fastify-metrics),
// load shedding (@fastify/under-pressure), params validation, JSON negotiation (@fastify/accepts)
// and, with ACCESS_LOG=on, Fastify's own request log.
import { randomUUID } from 'node:crypto';
import accepts from '@fastify/accepts';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import underPressure from '@fastify/under-pressure';
import Fastify from 'fastify';
import metrics from 'fastify-metrics';

const app = Fastify({
  logger: process.env.ACCESS_LOG === 'on',
  genReqId: () => randomUUID(),
  keepAliveTimeout: 72_000,
});
await app.register(helmet, {
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  crossOriginEmbedderPolicy: false,
});
await app.register(cors, { origin: '*', methods: ['GET', 'HEAD'], exposedHeaders: ['X-Request-Id'] });
await app.register(accepts);
await app.register(metrics.default, { endpoint: '/metrics' });
await app.register(underPressure, { maxEventLoopDelay: 1000, retryAfter: 1 });
app.addHook('onRequest', async (request, reply) => {
  reply.header('x-request-id', request.id);
});
app.addHook('onSend', async (request, reply, payload) => {
  if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
  reply.header('vary', 'Accept');
  if (request.accepts().type(['text/plain', 'application/json']) !== 'application/json') return payload;
  reply.type('application/json; charset=utf-8');
  return JSON.stringify({ message: payload });
});

const named = { params: { type: 'object', properties: { name: { type: 'string', maxLength: 100 } } } };
app.get('/', async () => 'Hallo from CORE!');
app.get('/:name/', { schema: named }, async (request) => `Hallo ${request.params.name} from CORE!`);
app.register(
  async (blueprint) => {
    blueprint.get('/', async () => 'Hallo!');
    blueprint.get('/:name/', { schema: named }, async (request) => `Hallo ${request.params.name}!`);
  },
  { prefix: '/blueprint' },
);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
