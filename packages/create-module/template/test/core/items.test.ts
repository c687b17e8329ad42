import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ItemStore, StoreFullError } from '../../src/core/items.js';

test('an item is created, then replaced, listed by id, and deleted', () => {
  const store = new ItemStore(10);
  assert.deepEqual(store.put('b', 'two'), { item: { id: 'b', text: 'two' }, created: true });
  assert.deepEqual(store.put('a', 'one'), { item: { id: 'a', text: 'one' }, created: true });
  assert.deepEqual(store.put('b', 'TWO'), { item: { id: 'b', text: 'TWO' }, created: false });
  assert.deepEqual(store.list(), [
    { id: 'a', text: 'one' },
    { id: 'b', text: 'TWO' },
  ]);
  assert.equal(store.delete('a'), true);
  assert.equal(store.delete('a'), false);
  assert.equal(store.get('a'), undefined);
});

test('a new item past the limit is refused; replacing one at the limit is not', () => {
  const store = new ItemStore(1);
  store.put('a', 'one');
  assert.throws(() => store.put('b', 'two'), StoreFullError);
  assert.deepEqual(store.put('a', 'again').created, false);
});
