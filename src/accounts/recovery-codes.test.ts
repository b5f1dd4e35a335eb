import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateRecoveryCodes, hashRecoveryCode, matchRecoveryCode, normalizeRecoveryCode } from './recovery-codes.ts';

const FORMAT = /^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/;

describe('generateRecoveryCodes', () => {
  test('makes ten distinct codes in the xxxx-xxxx-xxxx format by default', () => {
    const codes = generateRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, FORMAT);
  });

  test('draws evenly from all 32 unambiguous characters (12 × 5 = 60 bits)', () => {
    const characters = generateRecoveryCodes(100).concat(generateRecoveryCodes(100)).join('').replaceAll('-', '');
    const counts = new Map<string, number>();
    for (const c of characters) counts.set(c, (counts.get(c) ?? 0) + 1);
    assert.equal(counts.size, 32);
    for (const banned of ['i', 'l', 'o', 'u']) assert.equal(counts.has(banned), false, banned);
    // 2400 draws, 75 expected per character; a biased or narrowed alphabet lands far outside this.
    for (const [c, n] of counts) assert.ok(n > 30 && n < 130, `${c} appeared ${n} times`);
  });

  test('refuses a count that is not a small positive integer', () => {
    for (const count of [0, -1, 1.5, 101, Number.NaN]) {
      assert.throws(() => generateRecoveryCodes(count), RangeError, String(count));
    }
    assert.equal(generateRecoveryCodes(1).length, 1);
  });
});

describe('hashRecoveryCode / matchRecoveryCode', () => {
  test('hashes are hex SHA-256 and never contain the code', () => {
    const [code = ''] = generateRecoveryCodes(1);
    const hash = hashRecoveryCode(code);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.ok(!hash.includes(code.replaceAll('-', '')));
    assert.notEqual(hashRecoveryCode('0000-0000-0000'), hashRecoveryCode('0000-0000-0001'));
  });

  test('case, spaces, dashes and look-alike letters do not matter', () => {
    const hash = hashRecoveryCode('7k2m-q9xd-01fa');
    for (const typed of ['7K2M-Q9XD-01FA', '7k2m q9xd 01fa', '7k2mq9xd01fa', ' 7k2m–q9xd–OIfa ', '7k2m-q9xd-oLfa']) {
      assert.equal(hashRecoveryCode(typed), hash, typed);
    }
  });

  test('refuses input that cannot be a code', () => {
    for (const bad of ['', '7k2m-q9xd', '7k2m-q9xd-01fa-0000', '7k2m-q9xd-01fu', 'ｘ'.repeat(13)]) {
      assert.equal(normalizeRecoveryCode(bad), null, bad);
      assert.throws(() => hashRecoveryCode(bad), RangeError);
    }
  });

  test('matchRecoveryCode finds the index of the matching hash, or -1', () => {
    const codes = generateRecoveryCodes(10);
    const hashes = codes.map(hashRecoveryCode);
    assert.equal(matchRecoveryCode(codes[0] ?? '', hashes), 0);
    assert.equal(matchRecoveryCode((codes[7] ?? '').toUpperCase().replaceAll('-', ' '), hashes), 7);
    assert.equal(matchRecoveryCode(generateRecoveryCodes(1)[0] ?? '', hashes), -1);
    assert.equal(matchRecoveryCode('not a code', hashes), -1);
    assert.equal(matchRecoveryCode(codes[3] ?? '', []), -1);
    // A used code is removed by the caller; the rest still match at their new positions.
    const remaining = hashes.filter((_, i) => i !== 3);
    assert.equal(matchRecoveryCode(codes[3] ?? '', remaining), -1);
    assert.equal(matchRecoveryCode(codes[4] ?? '', remaining), 3);
  });

  test('a corrupt stored hash is skipped, not thrown on', () => {
    const [code = ''] = generateRecoveryCodes(1);
    assert.equal(matchRecoveryCode(code, ['', 'zz', 'abc', hashRecoveryCode(code)]), 3);
    assert.equal(matchRecoveryCode(code, [hashRecoveryCode(code), hashRecoveryCode(code)]), 0, 'the first match wins');
  });
});
