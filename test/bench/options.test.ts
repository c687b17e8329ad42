import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBenchOptions } from '../../bench/options.js';

test("npm run bench's arguments: defaults, a smoke run, repeated --compare, and a bad number refused", () => {
  assert.deepEqual(parseBenchOptions([]), {
    smoke: false,
    rounds: 3,
    durationS: 4,
    connections: 50,
    coldStarts: 9,
    compare: [],
  });
  assert.deepEqual(parseBenchOptions(['--smoke', '--rounds', '5']), {
    smoke: true,
    rounds: 1,
    durationS: 1,
    connections: 50,
    coldStarts: 1,
    compare: [],
  });
  assert.deepEqual(
    parseBenchOptions(['--only', 'notes', '--image', 'simple-rest:latest', '--compare', 'a', '--compare', 'b']),
    {
      smoke: false,
      rounds: 3,
      durationS: 4,
      connections: 50,
      coldStarts: 9,
      only: 'notes',
      image: 'simple-rest:latest',
      compare: ['a', 'b'],
    },
  );
  assert.throws(() => parseBenchOptions(['--rounds', 'zero']), {
    message: '--rounds takes a whole number of 1 or more, not "zero"',
  });
  assert.throws(() => parseBenchOptions(['--wat']), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
});
