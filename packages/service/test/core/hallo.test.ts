import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sayHallo } from '../../src/core/hallo.js';

test('sayHallo without a name greets from the core', () => {
  assert.equal(sayHallo(), 'Hallo from CORE!');
});

test('sayHallo with a name greets that name from the core', () => {
  assert.equal(sayHallo('Kalimaha'), 'Hallo Kalimaha from CORE!');
});

test('sayHallo keeps the name as given, Unicode included', () => {
  assert.equal(sayHallo('Jürgen'), 'Hallo Jürgen from CORE!');
});
