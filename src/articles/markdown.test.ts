import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMarkdown } from './markdown.ts';

test('renders Markdown with quotes and links', () => {
  const { html, text } = renderMarkdown(
    'Hello **world**.\n\n> "We will not be silenced," she said.\n\n[site](https://example.org)',
  );
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
    assert.doesNotMatch(
      html,
      /<script|<svg|\son\w+=|(href|src)="\s*(javascript|data):|<iframe|<form|<input|style=/i,
      `payload ${p} -> ${html}`,
    );
  }
});

test('images only from our own media library: no third-party requests from feeds or mail', () => {
  const own = renderMarkdown('![A map of the river](/media/ab12cd/960.webp "The Selvara")').html;
  assert.match(own, /<img src="\/media\/ab12cd\/960\.webp" alt="A map of the river" title="The Selvara" \/>/);
  for (const src of [
    'https://tracker.example/pixel.gif',
    '//tracker.example/p.gif',
    '/media/../etc/passwd',
    '/media/x',
    'media/ab/1.jpg',
    '/other/ab/1.jpg',
    'data:image/png;base64,AAAA',
  ]) {
    const { html } = renderMarkdown(`before ![x](${src}) <img src="${src}"> after`);
    assert.doesNotMatch(html, /<img/, `${src} -> ${html}`);
    assert.match(html, /before/);
    assert.match(html, /after/);
  }
});
