import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSiteAddress } from './site-address.ts';

test('a site address is stored in the URL parser’s normal form', () => {
  for (const [raw, stored] of [
    ['https://news.example.org', 'https://news.example.org'],
    ['  HTTPS://News.Example.ORG/  ', 'https://news.example.org'],
    ['https://news.example.org:443/', 'https://news.example.org'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['https://example.org/news/', 'https://example.org/news'],
    ['https://example.org//news//local/', 'https://example.org/news/local'],
    ['https://bücher.example/', 'https://xn--bcher-kva.example'],
  ] as const) {
    assert.deepEqual(parseSiteAddress(raw), { ok: true, value: stored }, raw);
  }
});

test('a site address with quotes, brackets, credentials, a query or an odd path is refused', () => {
  for (const raw of [
    '',
    'not a url',
    'news.example.org',
    'javascript:alert(1)',
    'ftp://news.example.org',
    'file:///etc/passwd',
    'https://news.example.org/"onmouseover="alert(1)',
    "https://news.example.org/'x",
    'https://news.example.org/<script>',
    'https://news.example.org/(x)',
    'https://news.example.org/[x]',
    'https://news.example.org/{x}',
    'https://news.example.org/`x`',
    'https://news.example.org/a b',
    'https://news.example.org\\evil.example',
    'https://user:secret@news.example.org',
    'https://user@news.example.org',
    'https://news.example.org/?utm=x',
    'https://news.example.org/?',
    'https://news.example.org/#top',
    'https://news.example.org/news%2F..',
    'https://news.example.org/a/../b',
    'https://news.example.org/news;x=1',
    'https://news.example.org/news:x',
    'https://news.example.org/@x',
    'https://news.example.org/news,x',
    `https://news.example.org/${'a'.repeat(300)}`,
  ]) {
    const parsed = parseSiteAddress(raw);
    assert.equal(parsed.ok, false, raw);
    assert.ok(!parsed.ok && parsed.problem.length > 0, raw);
  }
});
