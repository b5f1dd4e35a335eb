import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasControlChars, stripControlChars } from './control-chars.ts';

test('one line refuses C0, DEL, C1 and the Unicode separators; text allows tab and line breaks', () => {
  for (const c of ['\u0000', '\n', '\r', '\t', '\u001b', '\u007f', '\u0085', '\u009f', '\u2028', '\u2029'])
    assert.ok(hasControlChars(`a${c}b`), JSON.stringify(c));
  for (const c of ['\n', '\r', '\t']) assert.ok(!hasControlChars(`a${c}b`, { allowLineBreaks: true }));
  for (const c of ['\u0000', '\u001b', '\u007f', '\u0085', '\u2028'])
    assert.ok(hasControlChars(`a${c}b`, { allowLineBreaks: true }), JSON.stringify(c));
  assert.ok(!hasControlChars('Zoë’s café — 東京'));
});

test('stripping removes or replaces every control character and keeps the rest', () => {
  assert.equal(stripControlChars('a\u0000b\r\nc\u2028d'), 'abcd');
  assert.equal(stripControlChars('a\tb\u007fc', ' '), 'a b c');
  assert.equal(stripControlChars('Zoë’s café'), 'Zoë’s café');
});
