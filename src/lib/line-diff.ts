/** One line of a line diff: in both texts, only in the new one, or only in the old one. */
export interface DiffLine {
  op: 'same' | 'added' | 'removed';
  text: string;
}

/** Past this many changed lines a diff is shown as "all of this replaced by all of that". */
export const MAX_DIFF_EDITS = 2000;

export function splitLines(s: string): string[] {
  return s === '' ? [] : s.replace(/\r\n?/g, '\n').split('\n');
}

/**
 * A shortest line diff from `before` to `after` (Myers' O(ND) algorithm). The common head
 * and tail are cut off first, so an edit in one place of a long article stays cheap; the
 * trace kept for the walk back grows with the square of the edits, hence `maxEdits`.
 */
export function diffLines(before: string, after: string, maxEdits = MAX_DIFF_EDITS): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (text: string): DiffLine => ({ op: 'same', text });
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const middle = shortestEdit(midA, midB, maxEdits) ?? [
    ...midA.map((text): DiffLine => ({ op: 'removed', text })),
    ...midB.map((text): DiffLine => ({ op: 'added', text })),
  ];
  return [...a.slice(0, start).map(same), ...middle, ...a.slice(endA).map(same)];
}

function shortestEdit(a: string[], b: string[], maxEdits: number): DiffLine[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[-d..d] as it stood before step d: what the walk back needs.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))
          ? (v[offset + k + 1] ?? 0)
          : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return walkBack(trace, a, b);
    }
  }
  return null;
}

function walkBack(trace: Int32Array[], a: string[], b: string[]): DiffLine[] {
  const out: DiffLine[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d > 0; d--) {
    const at = (k: number) => trace[d]?.[k + d] ?? 0;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ op: 'same', text: a[--x] ?? '' });
      y--;
    }
    if (x === prevX) out.push({ op: 'added', text: b[--y] ?? '' });
    else out.push({ op: 'removed', text: a[--x] ?? '' });
  }
  while (x > 0 && y > 0) {
    out.push({ op: 'same', text: a[--x] ?? '' });
    y--;
  }
  return out.reverse();
}
