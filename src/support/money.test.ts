import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '#lib/errors.ts';
import { parseAmount } from './money.ts';

test('amounts in the forms readers write them', () => {
  const cases: [string, number][] = [
    ['5', 500],
    ['5.50', 550],
    ['5,50', 550],
    ['1,5', 150],
    ['1.50', 150],
    ['1,50', 150],
    ['$7', 700],
    ['7 €', 700],
    ['1,000', 100_000],
    ['1,000.50', 100_050],
    ['1.000,50', 100_050],
    ['1 000,50', 100_050],
    ['1\u00a0000,50', 100_050],
    ['1\u202f000.50', 100_050],
    ['1.000.000', 100_000_000],
    ['5,001', 500_100],
    ['12.', 1200],
  ];
  for (const [raw, minor] of cases) assert.equal(parseAmount(raw), minor, raw);
});

test('garbage and ambiguity are refused with a field error, not guessed', () => {
  for (const raw of [
    '',
    'abc',
    '1,00,000',
    '1,000,50',
    '1.000.50',
    '1.000,000.5',
    '1,2.3,4',
    '1 00',
    '5.001',
    '-5',
    '1e3',
    ',50',
    '1..5',
    '1,,5',
    '1. 000',
  ]) {
    assert.throws(
      () => parseAmount(raw),
      (err: unknown) => isAppError(err) && err.code === 'SUPPORT_AMOUNT_INVALID' && err.status === 400,
      raw,
    );
  }
});
