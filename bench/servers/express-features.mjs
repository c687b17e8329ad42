// Express 5 with the service's features, from the middleware its users reach for: helmet, cors,
// a request id, route metrics (express-prom-bundle on prom-client), params validation
// (express-validator), JSON negotiation (res.format) and, with ACCESS_LOG=on, pino-http.
// Express has no load shedding of its own; it runs without (which only flatters it).
import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express from 'express';
import promBundle from 'express-prom-bundle';
import { param, validationResult } from 'express-validator';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';

const app = express();
app.set('etag', false);
app.set('x-powered-by', false);
app.use((request, response, next) => {
  request.id = randomUUID();
  response.setHeader('x-request-id', request.id);
  next();
});
if (process.env.ACCESS_LOG === 'on') app.use(pinoHttp({ genReqId: (request) => request.id }));
app.use(helmet({ crossOriginResourcePolicy: { policy: 'cross-origin' }, crossOriginEmbedderPolicy: false }));
app.use(cors({ origin: '*', methods: ['GET', 'HEAD'], exposedHeaders: ['X-Request-Id'] }));
app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));

/** Answers text, or {"message": …} to a client that prefers JSON. */
function answer(response, text) {
  response.vary('Accept');
  response.format({
    'text/plain': () => response.type('text/plain; charset=utf-8').send(text),
    'application/json': () => response.json({ message: text }),
  });
}
const validName = [
  param('name').isLength({ max: 100 }),
  (request, response, next) =>
    validationResult(request).isEmpty() ? next() : response.status(400).json({ status: 400 }),
];

const router = express.Router({ strict: true });
router.get('/', (_request, response) => answer(response, 'Hallo from CORE!'));
router.get('/blueprint/', (_request, response) => answer(response, 'Hallo!'));
router.get('/blueprint/:name/', validName, (request, response) => answer(response, `Hallo ${request.params.name}!`));
router.get('/:name/', validName, (request, response) => answer(response, `Hallo ${request.params.name} from CORE!`));
app.use(router);
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
server.keepAliveTimeout = 72_000;
