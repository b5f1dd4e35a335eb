import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diffLines, type DiffLine } from './line-diff.ts';

const render = (d: DiffLine[]) =>
  d.map((l) => `${l.op === 'same' ? ' ' : l.op === 'added' ? '+' : '-'}${l.text}`).join('\n');
const side = (d: DiffLine[], op: 'added' | 'removed') =>
  d
    .filter((l) => l.op !== op)
    .map((l) => l.text)
    .join('\n');

/** The length of a longest common subsequence, the slow obvious way. */
function lcs(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      t[i]![j] = a[i - 1] === b[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
  return t[a.length]![b.length]!;
}

describe('line diff', () => {
  test('marks changed lines and keeps the rest', () => {
    assert.equal(render(diffLines('a\nb\nc', 'a\nB\nc')), ' a\n-b\n+B\n c');
    assert.equal(render(diffLines('', 'new')), '+new');
    assert.equal(render(diffLines('old', '')), '-old');
    assert.equal(render(diffLines('same\r\ntext', 'same\ntext')), ' same\n text');
  });

  test('is a shortest edit on generated texts, and both sides can be read back', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const text = (len: number) => Array.from({ length: len }, () => 'abcd'[next() % 4] ?? 'a').join('\n');
    for (let i = 0; i < 300; i++) {
      const before = text(next() % 12);
      const after = text(next() % 12);
      const d = diffLines(before, after);
      assert.equal(side(d, 'added'), before);
      assert.equal(side(d, 'removed'), after);
      const a = before === '' ? [] : before.split('\n');
      const b = after === '' ? [] : after.split('\n');
      assert.equal(
        d.filter((l) => l.op === 'same').length,
        lcs(a, b),
        `${JSON.stringify(before)} → ${JSON.stringify(after)}`,
      );
    }
  });

  test('past the edit limit it still says what changed, as one replacement', () => {
    const before = Array.from({ length: 50 }, (_, i) => `old ${i}`).join('\n');
    const after = Array.from({ length: 50 }, (_, i) => `new ${i}`).join('\n');
    const d = diffLines(`top\n${before}\nend`, `top\n${after}\nend`, 10);
    assert.equal(d.filter((l) => l.op === 'removed').length, 50);
    assert.equal(d.filter((l) => l.op === 'added').length, 50);
    assert.deepEqual([d[0]?.text, d.at(-1)?.text], ['top', 'end']);
  });
});
