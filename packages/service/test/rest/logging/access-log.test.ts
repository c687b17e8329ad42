// The access log alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { AccessLog } from '../../../src/rest/logging/access-log.js';
import { capturingLogger } from '../../support/app.js';

for (const enabled of [true, false]) {
  test(`enabled=${enabled}: ${enabled ? 'one line per request, when it completes' : 'no line at all'}`, async (t) => {
    const { logger, lines } = capturingLogger();
    const app = Fastify({ loggerInstance: logger, logController: new AccessLog(enabled) });
    app.get('/', async () => 'ok');
    t.after(() => app.close());
    await app.inject({ url: '/?q=1' });
    const logged = lines.map(({ msg, method, path, status }) => ({ msg, method, path, status }));
    assert.deepEqual(logged, enabled ? [{ msg: 'request completed', method: 'GET', path: '/?q=1', status: 200 }] : []);
  });
}

test('credentials in a query string are redacted in the access line; other parameters are kept as sent', async (t) => {
  const { logger, lines } = capturingLogger();
  const app = Fastify({ loggerInstance: logger, logController: new AccessLog(true) });
  app.get('/', async () => 'ok');
  t.after(() => app.close());
  await app.inject({
    url: '/?access_token=s1&q=1&Token=s2&code=s3&password=s4&key=s5&id_token=s6&refresh_token=s7&client_secret=s8&api_key=s9&page=2',
  });
  assert.equal(
    lines[0]?.path,
    '/?access_token=REDACTED&q=1&Token=REDACTED&code=REDACTED&password=REDACTED&key=REDACTED&id_token=REDACTED&refresh_token=REDACTED&client_secret=REDACTED&api_key=REDACTED&page=2',
  );
  assert.equal(/s[1-9]\b/.test(JSON.stringify(lines)), false);
});
