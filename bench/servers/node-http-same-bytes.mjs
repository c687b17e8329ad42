// The ceiling: bare node:http writing the service's response byte for byte (the same headers in
// the same order, a fresh request id, the same keep-alive timeout) for the four contract routes.
// test/bench/servers.test.ts checks that its headers are the service's.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { contractBody } from './contract-body.mjs';
import { SAME_FOR_EVERY_RESPONSE } from './same-headers.mjs';

const FLAT_HEADERS = Object.entries(SAME_FOR_EVERY_RESPONSE).flat();

const server = createServer((request, response) => {
  const body = contractBody(request.url ?? '/');
  if (body === undefined) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, ['x-request-id', randomUUID(), ...FLAT_HEADERS, 'content-length', Buffer.byteLength(body)]);
  response.end(body);
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
