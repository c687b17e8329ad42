import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRoll, InvalidNotationError, parseNotation, roll } from '../../src/core/dice.js';

test('parseNotation reads NdM', () => {
  assert.deepEqual(parseNotation('3d6'), { count: 3, sides: 6 });
  assert.deepEqual(parseNotation('100d1000'), { count: 100, sides: 1000 });
  assert.deepEqual(parseNotation('1d2'), { count: 1, sides: 2 });
});

test('parseNotation refuses what is not NdM within bounds', () => {
  for (const notation of ['', 'd6', '3d', '0d6', '3d1', '101d6', '3d1001', '3D6', '03d6', ' 3d6', '3d6x', '-1d6']) {
    assert.throws(() => parseNotation(notation), InvalidNotationError, notation);
  }
});

test('roll throws each die once and adds the faces', () => {
  const faces = [4, 2, 6];
  const thrown: number[] = [];
  const result = roll({ count: 3, sides: 6 }, (sides) => {
    thrown.push(sides);
    return faces[thrown.length - 1] ?? 0;
  });
  assert.deepEqual(thrown, [6, 6, 6]);
  assert.deepEqual(result, { count: 3, sides: 6, faces: [4, 2, 6], total: 12 });
  assert.equal(describeRoll(result), '3d6: 4 + 2 + 6 = 12');
});
