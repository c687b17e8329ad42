import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sayHallo } from '../../src/core/hallo.js';

test('sayHallo without a name greets anyone', () => {
  assert.equal(sayHallo(), 'Hallo!');
});

test('sayHallo with a name greets that name', () => {
  assert.equal(sayHallo('Kalimaha'), 'Hallo Kalimaha!');
});

test('sayHallo keeps the name as given, Unicode included', () => {
  assert.equal(sayHallo('Jürgen'), 'Hallo Jürgen!');
  assert.equal(sayHallo(''), 'Hallo !');
});
