// Bare node:http: the four contract routes with a content type and nothing else.
import { createServer } from 'node:http';
import { contractBody } from './contract-body.mjs';

createServer((request, response) => {
  const body = contractBody(request.url ?? '/');
  if (body === undefined) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
