import { test } from 'node:test';
import assert from 'node:assert/strict';
import { theName } from './words.ts';

test('"the" goes before a name only when the name has none of its own', () => {
  assert.equal(theName('Riga Ledger'), 'the Riga Ledger');
  assert.equal(theName('The Meridian Dispatch'), 'The Meridian Dispatch');
  assert.equal(theName('THE POST'), 'THE POST');
  assert.equal(theName('Theatre Weekly'), 'the Theatre Weekly');
});
