/**
 * Escape-by-default HTML templates. Every interpolated value is escaped unless it is a
 * SafeHtml, which only this module and `unsafeRaw` create. Arrays are joined, and
 * null/undefined/false render as nothing, so `${cond && html`...`}` works.
 */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const ESCAPE_RE = /[&<>"']/g;

export function escapeHtml(s: string): string {
  return ESCAPE_RE.test(s) ? s.replace(ESCAPE_RE, (c) => ESCAPES[c] ?? c) : s;
}

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) {
    let out = '';
    for (const item of v as readonly HtmlValue[]) out += render(item);
    return out;
  }
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * Marks already-safe markup (sanitised article bodies, our own JSON-LD). The name is meant
 * to stand out in review: never pass user input here unless it went through the sanitiser.
 */
export function unsafeRaw(s: string): SafeHtml {
  return new SafeHtml(s);
}

/** JSON for a <script type="application/ld+json"> block: cannot close the script element. */
export function jsonForScript(value: unknown): SafeHtml {
  return new SafeHtml(
    JSON.stringify(value)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
}
