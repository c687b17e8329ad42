// The access log alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { AccessLog } from '../../../src/rest/server-options/access-log.js';
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
