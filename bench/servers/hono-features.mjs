// Hono 4 on @hono/node-server with the service's features, from its own middleware: secureHeaders,
// cors, requestId, route metrics (@hono/prometheus), params validation (hono/validator), JSON
// negotiation (accepts, on the Node request) and, with ACCESS_LOG=on, hono/logger.
// Hono has no load shedding of its own; it runs without (which only flatters it).
import { serve } from '@hono/node-server';
import { prometheus } from '@hono/prometheus';
import accepts from 'accepts';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { logger } from 'hono/logger';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { validator } from 'hono/validator';

const app = new Hono({ strict: true });
const { printMetrics, registerMetrics } = prometheus();
app.use(requestId());
if (process.env.ACCESS_LOG === 'on') app.use(logger());
app.use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin', crossOriginEmbedderPolicy: false }));
app.use(cors({ origin: '*', allowMethods: ['GET', 'HEAD'], exposeHeaders: ['X-Request-Id'] }));
app.use(registerMetrics);
app.get('/metrics', printMetrics);

/** Answers text, or {"message": …} to a client that prefers JSON. */
function answer(c, text) {
  c.header('vary', 'Accept');
  return accepts(c.env.incoming).type(['text/plain', 'application/json']) === 'application/json'
    ? c.json({ message: text })
    : c.text(text);
}
const validName = validator('param', (value, c) => (value.name.length <= 100 ? value : c.json({ status: 400 }, 400)));

app.get('/', (c) => answer(c, 'Hallo from CORE!'));
app.get('/blueprint/', (c) => answer(c, 'Hallo!'));
app.get('/blueprint/:name/', validName, (c) => answer(c, `Hallo ${c.req.valid('param').name}!`));
app.get('/:name/', validName, (c) => answer(c, `Hallo ${c.req.valid('param').name} from CORE!`));

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
server.keepAliveTimeout = 72_000;
