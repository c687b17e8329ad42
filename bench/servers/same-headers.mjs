// The headers the service sets on every 200 of the contract routes (CORS_ORIGINS=*), in its order,
// after x-request-id and before content-length. test/bench/servers.test.ts checks them against
// the service, so the ceiling and the floor write what the service writes.
export const SAME_FOR_EVERY_RESPONSE = Object.freeze({
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'cross-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'X-Request-Id',
  'content-type': 'text/plain; charset=utf-8',
  vary: 'Accept',
});
