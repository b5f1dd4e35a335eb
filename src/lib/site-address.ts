import { z } from 'zod';

/**
 * The site address: the one rule for the newsroom's settings form and for BASE_URL. Every
 * link in pages, feeds and emails is built by appending a path to it, so it must be a plain
 * http(s) origin with at most a plain path prefix (`https://example.org/news`), and it is
 * stored in the URL parser's normal form (lower-case host, default port dropped, no
 * trailing slash) so that the string we append to is exactly what the browser will see.
 */
export const SITE_ADDRESS_MAX = 300;

// Quotes, angle and other brackets, backslash, backtick, whitespace and control
// characters: none belongs in a site address, and each could break out of an attribute,
// a feed or a header if the address were ever written unescaped.
const FORBIDDEN = /["'<>()[\]{}\\`\s\p{Cc}]/u;
// One path segment of a plain prefix: letters, digits and - . _ ~, not a dot segment.
const SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._~-]+$/;

export type SiteAddress = { ok: true; value: string } | { ok: false; problem: string };

export function parseSiteAddress(raw: string): SiteAddress {
  const fail = (problem: string): SiteAddress => ({ ok: false, problem });
  const input = raw.trim();
  if (input === '') return fail('Enter the address readers use, starting with https://');
  if (input.length > SITE_ADDRESS_MAX) return fail(`Use at most ${SITE_ADDRESS_MAX} characters`);
  if (FORBIDDEN.test(input)) return fail('Give the address without quotes, brackets or spaces');
  const url = URL.parse(input);
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '')
    return fail('Enter the address readers use, starting with https://');
  if (url.username || url.password) return fail('Give the address without a user name or password');
  // An empty "?" or "#" leaves search and hash empty, so look at what was typed too.
  if (url.search || url.hash || input.includes('?') || input.includes('#'))
    return fail('Give the address without ?query or #fragment');
  const segments = url.pathname.split('/').filter((s) => s !== '');
  // The parser resolves /a/../b to /b; a dot segment as typed is not a plain prefix either.
  if (input.includes('%') || /\/\.{1,2}(?:\/|$)/.test(input) || !segments.every((s) => SEGMENT.test(s)))
    return fail('The path may only be a plain prefix such as /news');
  const path = segments.length > 0 ? `/${segments.join('/')}` : '';
  return { ok: true, value: `${url.protocol}//${url.host}${path}` };
}

/** The same rule as a zod schema: refuses with the problem, outputs the normal form. */
export const siteAddressSchema = z.string().transform((raw, ctx) => {
  const parsed = parseSiteAddress(raw);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: parsed.problem, input: raw });
  return z.NEVER;
});
