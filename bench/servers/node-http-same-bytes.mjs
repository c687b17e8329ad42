// The ceiling: bare node:http writing the service's response byte for byte (the same headers in
// the same order, a fresh request id, the same keep-alive timeout) for the four contract routes.
// test/bench/servers.test.ts checks that its headers are the service's.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const SAME_FOR_EVERY_RESPONSE = [
  [
    'content-security-policy',
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  ],
  ['cross-origin-opener-policy', 'same-origin'],
  ['cross-origin-resource-policy', 'cross-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'no-referrer'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'SAMEORIGIN'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
  ['access-control-allow-origin', '*'],
  ['access-control-expose-headers', 'X-Request-Id'],
  ['content-type', 'text/plain; charset=utf-8'],
  ['vary', 'Accept'],
];

const fixed = new Map([
  ['/', 'Hallo from CORE!'],
  ['/blueprint/', 'Hallo!'],
]);

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  let body = fixed.get(url);
  const named = body === undefined ? /^\/(blueprint\/)?([^/]+)\/$/.exec(url) : null;
  if (named) {
    const name = decodeURIComponent(named[2]);
    body = named[1] ? `Hallo ${name}!` : `Hallo ${name} from CORE!`;
  }
  if (body === undefined) {
    response.writeHead(404).end();
    return;
  }
  const headers = [
    ['x-request-id', randomUUID()],
    ...SAME_FOR_EVERY_RESPONSE,
    ['content-length', Buffer.byteLength(body)],
  ];
  response.writeHead(200, headers.flat()).end(body);
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
