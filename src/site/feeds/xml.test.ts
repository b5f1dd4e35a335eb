import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absolutiseHtml } from './feed-model.ts';
import { newsLanguage } from './sitemap.ts';
import { cleanXmlText, escapeXml } from './xml.ts';
import { parseXml } from '#test/xml.ts';

test('escapeXml escapes markup and drops characters XML 1.0 forbids', () => {
  assert.equal(escapeXml(`a & b <c> "d" 'e'`), 'a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;');
  assert.equal(cleanXmlText('x\u0000\u0001\u0008\u000b\u001f\u007f\u0085\ufffe\ud800y\t\n\r😀'), 'xy\t\n\r😀');
});

test('absolutiseHtml resolves links and images against the article URL only inside tags', () => {
  const page = 'https://news.example.test/articles/x';
  const out = absolutiseHtml(
    '<p>href="/a"</p><a href="/articles/y?a=1&amp;b=2">y</a><img src="img.jpg" alt="/z"><a href="https://other.example/">o</a><a href="mailto:a@b.c">m</a>',
    page,
  );
  assert.equal(
    out,
    '<p>href="/a"</p><a href="https://news.example.test/articles/y?a=1&amp;b=2">y</a><img src="https://news.example.test/articles/img.jpg" alt="/z"><a href="https://other.example/">o</a><a href="mailto:a@b.c">m</a>',
  );
});

test('newsLanguage maps language tags to the codes Google News accepts', () => {
  assert.equal(newsLanguage('en-GB'), 'en');
  assert.equal(newsLanguage('lv'), 'lv');
  assert.equal(newsLanguage('zh-Hant-TW'), 'zh-tw');
  assert.equal(newsLanguage('zh'), 'zh-cn');
});

test('the XML parser the tests use refuses what is not well-formed', () => {
  for (const bad of [
    '<a><b></a></b>',
    '<a>x & y</a>',
    '<a>&nbsp;</a>',
    '<a x="1" x="2"/>',
    '<a/><b/>',
    '<a>\u0001</a>',
    '<a>',
    'text<a/>',
    '<a b=c/>',
  ]) {
    assert.throws(() => parseXml(bad), Error, bad);
  }
  const ok = parseXml('<?xml version="1.0"?>\n<a x="&lt;&amp;&#39;"><b>1 &gt; 0 &#x263A;</b><c/></a>\n');
  assert.equal(ok.attrs.x, "<&'");
  assert.equal(ok.children[0]?.text, '1 > 0 ☺');
});
