import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '#lib/errors.ts';
import { parseId, parsePage, PAGE_MAX } from './params.ts';

test('ids are plain positive integers that fit a database integer', () => {
  assert.equal(parseId('1'), 1);
  assert.equal(parseId('999999999'), 999999999);
  for (const bad of [undefined, '', '0', '01', '-1', '+1', '1e3', '1.0', ' 1', '9999999999', ['1'], 1])
    assert.equal(parseId(bad), null, JSON.stringify(bad));
});

test('?page= is 1 when absent, the number when plain, a 400 otherwise: one cap everywhere', () => {
  assert.equal(parsePage(undefined), 1);
  assert.equal(parsePage('3'), 3);
  assert.equal(parsePage(String(PAGE_MAX)), PAGE_MAX);
  for (const bad of ['', '0', '-2', 'x', '1.5', String(PAGE_MAX + 1), ['2']])
    assert.throws(
      () => parsePage(bad),
      (err) => isAppError(err) && err.status === 400,
      JSON.stringify(bad),
    );
});
