import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMarkdown } from './markdown.ts';

test('renders Markdown with quotes and links', () => {
  const { html, text } = renderMarkdown('Hello **world**.\n\n> "We will not be silenced," she said.\n\n[site](https://example.org)');
  assert.match(html, /<strong>world<\/strong>/);
  assert.match(html, /<blockquote>\s*<p>“We will not be silenced,” she said.<\/p>\s*<\/blockquote>/);
  assert.match(html, /<a href="https:\/\/example.org" rel="noopener noreferrer">site<\/a>/);
  assert.equal(text, 'Hello world. “We will not be silenced,” she said. site');
});

test('strips scripts, handlers and dangerous URLs', () => {
  const payloads = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '[x](javascript:alert(1))',
    '<svg onload=alert(1)><circle/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<form action="https://evil.example"><input name=password></form>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  ];
  for (const p of payloads) {
    const { html } = renderMarkdown(p);
    // Literal text such as "[x](javascript:…)" may remain; what matters is that no tag or
    // attribute carries it.
    assert.doesNotMatch(html, /<script|<svg|\son\w+=|(href|src)="\s*(javascript|data):|<iframe|<form|<input|style=/i, `payload ${p} -> ${html}`);
  }
});
