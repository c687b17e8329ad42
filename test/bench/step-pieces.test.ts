import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { build } from 'esbuild';
import { PIECES, SOURCE, without } from '../../bench/step-pieces.js';

test('each piece the step-costs bench turns off is one line, found once, in the file that composes it', () => {
  for (const piece of PIECES) {
    const source = readFileSync(`${SOURCE}${piece.file}`, 'utf8');
    const found =
      typeof piece.line === 'string'
        ? source.split(piece.line).length - 1
        : (source.match(new RegExp(piece.line, 'g')) ?? []).length;
    assert.equal(found, 1, `${piece.name} in ${piece.file}`);
  }
});

test('a build without a piece has lost its line; a piece whose line is gone fails the build', async () => {
  const bundleOf = async (line: string) => {
    const result = await build({
      entryPoints: [`${SOURCE}cors/index.ts`],
      bundle: false,
      write: false,
      plugins: [without({ name: 'test', file: 'cors/index.ts', line })],
      logLevel: 'silent',
    });
    return result.outputFiles[0]?.text ?? '';
  };
  const whole = readFileSync(`${SOURCE}cors/index.ts`, 'utf8');
  assert.match(whole, / {2}step: corsHeaders,\n/);
  assert.doesNotMatch((await bundleOf('  step: corsHeaders,\n')).replace(/import .*\n/g, ''), /corsHeaders/);
  await assert.rejects(bundleOf('  step: noSuchStep,\n'), /its line is no longer in/);
});
