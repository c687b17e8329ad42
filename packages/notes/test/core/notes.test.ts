import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entityTag, parseIfMatch, publicNote } from '../../src/core/notes.js';

const revision = '0b3f0d3e-6f5c-4c3b-9a47-1f0f4e1c2d3a';
const note = { id: 'a', text: 'x', updatedAt: '2026-11-30T00:00:00.000Z', revision };

test('the ETag is the revision, quoted; the note answered leaves the revision out', () => {
  assert.equal(entityTag(note), `"${revision}"`);
  assert.deepEqual(publicNote(note), { id: 'a', text: 'x', updatedAt: '2026-11-30T00:00:00.000Z' });
});

test('If-Match: * matches any note; strong tags of our revisions are kept; weak tags and the rest never match', () => {
  assert.equal(parseIfMatch(undefined), undefined);
  assert.deepEqual(parseIfMatch(' * '), { any: true });
  assert.deepEqual(parseIfMatch(`"${revision}"`), { revisions: [revision] });
  assert.deepEqual(parseIfMatch(`W/"${revision}", "nope", ${revision}, "${revision}"`), { revisions: [revision] });
  assert.deepEqual(parseIfMatch('garbage'), { revisions: [] });
});
