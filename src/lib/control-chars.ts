/**
 * The one rule for control characters in text people type or we write into headers, URLs
 * and images: C0 and C1 controls, DEL, and the Unicode line and paragraph separators (which
 * some readers treat as line breaks). Multi-line text may keep tab, newline and return.
 */
const IN_LINE = /[\p{Cc}\u2028\u2029]/u;
const IN_LINE_ALL = new RegExp(IN_LINE.source, 'gu');
const IN_TEXT = /(?![\t\n\r])\p{Cc}|[\u2028\u2029]/u;

/** Whether `s` holds a control character; with `allowLineBreaks`, tab, CR and LF are fine. */
export function hasControlChars(s: string, opts: { allowLineBreaks?: boolean } = {}): boolean {
  return (opts.allowLineBreaks ? IN_TEXT : IN_LINE).test(s);
}

/** `s` with every control character (line breaks included) replaced by `replacement`. */
export function stripControlChars(s: string, replacement = ''): string {
  return s.replace(IN_LINE_ALL, replacement);
}
