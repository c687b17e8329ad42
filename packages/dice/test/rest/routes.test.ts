import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { test } from 'node:test';
import { mountModule } from '@simple-rest/testing';
import type { FastifyInstance } from 'fastify';
import type { Thrower } from '../../src/core/dice.js';
import dice from '../../src/index.js';
import { diceRoutes } from '../../src/rest/routes.js';

/** The dice module in the host at /dice, with a predictable die when the test gives one. */
async function appWithDice(t: TestContext, throwDie?: Thrower) {
  const app = await mountModule(
    throwDie ? { ...dice, routes: async (scope: FastifyInstance) => scope.register(diceRoutes, { throwDie }) } : dice,
  );
  t.after(() => app.close());
  return app;
}

test('GET /dice/ rolls one six-sided die', async (t) => {
  const app = await appWithDice(t, () => 5);
  const res = await app.inject({ url: '/dice/' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(res.body, '1d6: 5 = 5');
});

test('GET /dice/3d6/ rolls three six-sided dice', async (t) => {
  const app = await appWithDice(t, (sides) => sides - 1);
  const res = await app.inject({ url: '/dice/3d6/' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, '3d6: 5 + 5 + 5 = 15');
});

test('the fair die stays within its faces', async (t) => {
  const app = await appWithDice(t);
  for (let attempt = 0; attempt < 20; attempt++) {
    const match = /^2d4: ([1-4]) \+ ([1-4]) = (\d)$/.exec((await app.inject({ url: '/dice/2d4/' })).body);
    assert.ok(match);
    assert.equal(Number(match[1]) + Number(match[2]), Number(match[3]));
  }
});

test('bad notation gets 400 with the reason', async (t) => {
  const app = await appWithDice(t, () => 1);
  const res = await app.inject({ url: '/dice/101d6/' });
  assert.equal(res.statusCode, 400);
  assert.equal(
    res.json().detail,
    '"101d6" is not dice notation: expected NdM with 1 to 100 dice of 2 to 1000 sides, such as 3d6',
  );
  assert.equal((await app.inject({ url: '/dice/abc/' })).statusCode, 400);
});

test('the module names itself from its package.json', () => {
  assert.equal(dice.name, '@simple-rest/dice');
  assert.equal(dice.version, '0.1.0');
  assert.equal(dice.defaultPrefix, '/dice');
});
