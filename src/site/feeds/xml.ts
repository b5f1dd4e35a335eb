import { escapeHtml } from '#lib/html.ts';

/**
 * Escape-by-default XML templates for feeds and sitemaps, like #lib/html.ts for pages.
 * Every interpolated value is stripped of characters XML 1.0 forbids and escaped, unless
 * it is an XmlFragment made by this module. Arrays are joined; null/undefined/false render
 * as nothing.
 */
export class XmlFragment {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type XmlValue = XmlFragment | string | number | null | undefined | false | readonly XmlValue[];

// Outside XML 1.0's Char production: C0 controls but tab/newline/return, lone surrogates,
// U+FFFE and U+FFFF. C1 controls are allowed but discouraged, and no reader wants them.
const ILLEGAL = /[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Drops characters that may not appear in an XML 1.0 document (also useful for JSON feeds). */
export function cleanXmlText(s: string): string {
  return s.replace(ILLEGAL, '');
}

/** Text safe in XML content and in attribute values quoted either way. */
export function escapeXml(s: string): string {
  return cleanXmlText(s).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * Plain text for an RSS 2.0 element whose content readers decode as HTML (`<description>`,
 * and in practice `<title>` and `<category>`): escaped as HTML here, then as XML by `xml`,
 * so `<img …>` in a standfirst reaches the reader as the text it was, not as an element.
 */
export function rssText(s: string): string {
  return escapeHtml(cleanXmlText(s));
}

function render(v: XmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof XmlFragment) return v.value;
  if (Array.isArray(v)) {
    let out = '';
    for (const item of v as readonly XmlValue[]) out += render(item);
    return out;
  }
  return escapeXml(String(v));
}

export function xml(strings: TemplateStringsArray, ...values: XmlValue[]): XmlFragment {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new XmlFragment(out);
}

/** A complete document: the declaration, then the root element. */
export function xmlDocument(root: XmlFragment): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${root.value}\n`;
}

/** RFC 822 date-time as RSS 2.0 wants it (the RFC 1123 form with a four-digit year). */
export function rfc822(iso: string | Date): string {
  return new Date(iso).toUTCString();
}

/** RFC 3339 / W3C date-time in UTC, for Atom, JSON Feed and sitemaps. */
export function rfc3339(iso: string | Date): string {
  return new Date(iso).toISOString().replace(/\.000Z$/, 'Z');
}

/** The latest of some ISO times (null when none). */
export function latest(times: readonly (string | null | undefined)[]): string | null {
  let best: string | null = null;
  let bestMs = -Infinity;
  for (const t of times) {
    if (!t) continue;
    const ms = new Date(t).getTime();
    if (ms > bestMs) {
      best = t;
      bestMs = ms;
    }
  }
  return best;
}
