// A request's logger, made when the request first logs (src/rest/logging/request-logger.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { RequestLogger } from '../../../src/rest/logging/request-logger.js';
import { capturingLogger } from '../../support/app.js';

/** The parent logger, counting the children made from it. */
function countingParent() {
  const { logger, lines } = capturingLogger();
  let children = 0;
  const parent = new Proxy(logger, {
    get: (target, key, receiver) =>
      key === 'child'
        ? (...args: Parameters<typeof logger.child>) => {
            children++;
            return target.child(...args);
          }
        : Reflect.get(target, key, receiver),
  }) as FastifyBaseLogger;
  return { parent, lines, children: () => children };
}

test('a request that logs nothing makes no child; one that logs writes what a child writes', () => {
  const { parent, lines, children } = countingParent();
  const silent = new RequestLogger(parent, { reqId: 'a' }, {});
  assert.equal(silent.level, 'info', "the parent's level until a child exists");
  assert.equal(children(), 0);

  const logging = new RequestLogger(parent, { reqId: 'b' }, {});
  logging.info({ status: 200 }, 'request completed');
  logging.error(new Error('boom'), 'failed');
  logging.debug('below the level');
  assert.equal(children(), 1, 'one child, made at the first line and kept');
  const { reqId, status, msg } = lines[0] ?? {};
  assert.deepEqual({ reqId, status, msg }, { reqId: 'b', status: 200, msg: 'request completed' });
  assert.equal((lines[1]?.err as { message?: string })?.message, 'boom');
  assert.equal(lines.length, 2);
});

test('bindings added before the first line are in it; a route level is kept; a child of it is a child of the child', () => {
  const { parent, lines } = countingParent();
  const logger = new RequestLogger(parent, { reqId: 'c' }, { level: 'warn' });
  assert.equal(logger.level, 'warn');
  logger.setBindings({ span_id: 'f00' });
  logger.info('below the route level');
  logger.warn('kept');
  logger.setBindings({ trace_id: 'abc' });
  logger.child({ subject: 'alice' }).warn('from a child');
  const { parent: lazyParent, lines: lazyLines, children } = countingParent();
  const grandchild = new RequestLogger(lazyParent, { reqId: 'd' }, {}).child({ subject: 'bob' });
  assert.equal(children(), 0, 'a child of a request logger that has not logged makes no pino child either');
  grandchild.info('as the caller');
  assert.equal(children(), 1, 'one pino child, with both bindings');
  assert.deepEqual(
    lazyLines.map(({ reqId, subject, msg }) => ({ reqId, subject, msg })),
    [{ reqId: 'd', subject: 'bob', msg: 'as the caller' }],
  );
  assert.deepEqual(
    lines.map(({ reqId, span_id, trace_id, subject, msg }) => ({ reqId, span_id, trace_id, subject, msg })),
    [
      { reqId: 'c', span_id: 'f00', trace_id: undefined, subject: undefined, msg: 'kept' },
      { reqId: 'c', span_id: 'f00', trace_id: 'abc', subject: 'alice', msg: 'from a child' },
    ],
  );
});
