import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSlug, slugify } from './slug.ts';

test('slugs fold diacritics, drop punctuation and join words with hyphens', () => {
  assert.equal(slugify('Supreme Court upholds "foreign agent" label'), 'supreme-court-upholds-foreign-agent-label');
  assert.equal(slugify('Čistá řeka & the court’s ruling'), 'cista-reka-and-the-courts-ruling');
  assert.equal(slugify('  --  '), '');
});

test('long slugs are cut between words, never inside one', () => {
  assert.equal(
    slugify('The Meridian Dispatch weekly: Supreme Court upholds foreign agent label', 60),
    'the-meridian-dispatch-weekly-supreme-court-upholds-foreign',
  );
  assert.equal(slugify('one two three', 7), 'one-two');
  assert.equal(slugify('one two three', 8), 'one-two');
  assert.equal(slugify('one two three', 13), 'one-two-three');
  assert.equal(slugify('supercalifragilistic word', 5), 'super');
  for (const n of [1, 5, 9, 20, 60]) {
    const s = slugify('A long headline about the harbour fees and the council vote on Tuesday', n);
    assert.ok(s.length <= n && isSlug(s), `${n}: ${s}`);
  }
});
