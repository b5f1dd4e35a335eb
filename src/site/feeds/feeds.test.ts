import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { updateArticle, type ArticlesDeps } from '#articles';
import { fixedClock } from '#lib/clock.ts';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle, makeAuthor, makeSection } from '#test/factories.ts';
import { all, kids, one, parseXml, readAsHtml, textOf, type XmlNode } from '#test/xml.ts';

const BASE = 'https://news.example.test';
const NOW = new Date('2030-03-10T12:00:00.000Z');
const HOUR = 60 * 60 * 1000;
const TRICKY = `Fish & chips <script>alert("x")</script> 'cheap' > dear`;
const HOSTILE = '<img src=x onerror=alert(1)>';
const STANDFIRST = `Control\u0001char & more ${HOSTILE}`;
const STANDFIRST_SEEN = `Controlchar & more ${HOSTILE}`;

/** A field RSS readers decode as HTML: no elements come alive, and the text is what was written. */
function assertPlainText(field: string, expected: string) {
  const seen = readAsHtml(field);
  assert.deepEqual(seen.elements, [], `elements in ${JSON.stringify(field)}`);
  assert.equal(seen.text, expected);
}

for (const dialect of dialects) {
  describe(`feeds and sitemaps (${dialect})`, () => {
    const clock = fixedClock(NOW);
    let t: TestApp;
    let deps: ArticlesDeps;
    let draftId = 0;

    before(async () => {
      t = await createTestApp(dialect, { clock });
      deps = t.app.masthead.articles;
      await makeSection(deps, { slug: 'politics', name: 'Politics & Power' });
      await makeAuthor(deps, { slug: 'ann-oneil', name: `Ann O'Neil <Desk>` });
      // 20 older ones so the feeds must cut at 20.
      for (let n = 0; n < 20; n++) {
        await makeArticle(deps, {
          slug: `filler-${n}`,
          headline: `Filler ${n}`,
          withImage: false,
          publishedAt: new Date(NOW.getTime() - (100 + n) * HOUR),
        });
      }
      await makeArticle(deps, {
        slug: 'old-story',
        headline: 'An old story',
        withImage: false,
        publishedAt: new Date(NOW.getTime() - 72 * HOUR),
      });
      await makeArticle(deps, {
        slug: 'tricky',
        headline: TRICKY,
        standfirst: STANDFIRST,
        sectionSlug: 'politics',
        authorSlugs: ['ann-oneil'],
        tags: ['Budget & Tax', 'Local'],
        bodyMarkdown:
          'First paragraph with a [relative link](/articles/old-story) & an ampersand.\n\nSecond paragraph ends here.',
        publishedAt: new Date(NOW.getTime() - HOUR),
      });
      draftId = (
        await makeArticle(deps, {
          slug: 'secret-draft',
          headline: 'Secret draft headline',
          status: 'draft',
          withImage: false,
          sectionSlug: 'politics',
        })
      ).id;
    });
    after(() => t.close());

    const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

    function assertSafe(body: string) {
      assert.ok(!body.includes('<script'), 'a raw < from the headline reached the document');
      assert.ok(!body.includes('Fish & chips'), 'a raw & from the headline reached the document');
      assert.ok(!body.includes('\u0001'), 'a control character reached the document');
      assert.ok(!/secret-draft|Secret draft/.test(body), 'the draft is listed');
    }

    test('RSS 2.0: newest 20, escaped, full text, absolute links, image and credit', async () => {
      const res = await get('/feed.xml');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/rss+xml; charset=utf-8');
      assert.ok(res.headers.etag && res.headers['last-modified']);
      assertSafe(res.body);
      const rss = parseXml(res.body);
      assert.equal(rss.name, 'rss');
      assert.equal(rss.attrs.version, '2.0');
      const channel = one(rss, 'channel');
      assert.equal(kids(channel, 'link')[0]?.text, `${BASE}/`);
      assert.equal(one(channel, 'atom:link').attrs.href, `${BASE}/feed.xml`);
      const items = kids(channel, 'item');
      assert.equal(items.length, 20);
      const [first, second] = items as [XmlNode, XmlNode];
      assertPlainText(textOf(channel, 'title'), 'Masthead');
      assertPlainText(textOf(first, 'title'), TRICKY);
      assertPlainText(textOf(second, 'title'), 'An old story');
      assert.equal(textOf(first, 'link'), `${BASE}/articles/tricky`);
      assert.equal(textOf(first, 'guid'), `${BASE}/articles/tricky`);
      assert.equal(textOf(first, 'pubDate'), new Date(NOW.getTime() - HOUR).toUTCString());
      assertPlainText(textOf(first, 'description'), STANDFIRST_SEEN);
      assert.deepEqual(
        all(first, 'dc:creator').map((c) => c.text),
        [`Ann O'Neil <Desk>`],
      );
      assert.deepEqual(
        all(first, 'category').map((c) => readAsHtml(c.text)),
        ['Politics & Power', 'Budget & Tax', 'Local'].map((text) => ({ elements: [], text })),
      );
      const content = textOf(first, 'content:encoded');
      assert.match(
        content,
        /<p>First paragraph with a <a href="https:\/\/news\.example\.test\/articles\/old-story">relative link<\/a> &amp; an ampersand\.<\/p>/,
      );
      assert.match(content, /Second paragraph ends here\./);
      assert.match(
        content,
        /<figcaption>A caption for the test image Photo: Test Photographer \/ Agency<\/figcaption>/,
      );
      const enclosure = one(first, 'enclosure');
      assert.match(enclosure.attrs.url ?? '', /^https:\/\/news\.example\.test\/media\/.+\.jpg$/);
      assert.ok(Number(enclosure.attrs.length) > 0);
      assert.equal(enclosure.attrs.type, 'image/jpeg');
      assert.equal(textOf(first, 'media:credit'), 'Test Photographer / Agency');
      const img = await get(new URL(enclosure.attrs.url ?? '').pathname);
      assert.equal(img.statusCode, 200, 'the enclosure URL serves the image');
      assert.equal(Number(img.headers['content-length'] ?? img.rawPayload.length), Number(enclosure.attrs.length));
      assert.equal(all(second, 'enclosure').length, 0);
    });

    test('Atom 1.0: entries with ids, dates, authors, categories and HTML content', async () => {
      const res = await get('/atom.xml');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
      assertSafe(res.body);
      const feed = parseXml(res.body);
      assert.equal(feed.name, 'feed');
      assert.equal(feed.attrs.xmlns, 'http://www.w3.org/2005/Atom');
      assert.ok(kids(feed, 'link').some((l) => l.attrs.rel === 'self' && l.attrs.href === `${BASE}/atom.xml`));
      assert.equal(kids(feed, 'updated').length, 1);
      const entries = kids(feed, 'entry');
      assert.equal(entries.length, 20);
      const first = entries[0]!;
      assert.equal(textOf(first, 'id'), `${BASE}/articles/tricky`);
      assert.equal(textOf(first, 'title'), TRICKY);
      assert.equal(textOf(first, 'published'), '2030-03-10T11:00:00Z');
      assert.equal(textOf(first, 'updated'), '2030-03-10T11:00:00Z');
      assert.equal(textOf(one(first, 'author'), 'name'), `Ann O'Neil <Desk>`);
      assert.equal(textOf(one(first, 'author'), 'uri'), `${BASE}/author/ann-oneil`);
      assert.deepEqual(
        all(first, 'category').map((c) => c.attrs.label),
        ['Politics & Power', 'Budget & Tax', 'Local'],
      );
      const content = one(first, 'content');
      assert.equal(content.attrs.type, 'html');
      assert.match(
        content.text,
        /First paragraph with a <a href="https:\/\/news\.example\.test\/articles\/old-story">/,
      );
      assert.match(content.text, /Photo: Test Photographer \/ Agency/);
      assert.match(
        kids(first, 'link').find((l) => l.attrs.rel === 'enclosure')?.attrs.href ?? '',
        /^https:\/\/news\.example\.test\/media\//,
      );
    });

    test('JSON Feed 1.1: parses, full text, absolute image and URLs', async () => {
      const res = await get('/feed.json');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/feed+json; charset=utf-8');
      assert.ok(!/secret-draft|Secret draft/.test(res.body));
      const feed = JSON.parse(res.body);
      assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
      assert.equal(feed.feed_url, `${BASE}/feed.json`);
      assert.equal(feed.home_page_url, `${BASE}/`);
      assert.equal(feed.items.length, 20);
      const first = feed.items[0];
      assert.equal(first.id, `${BASE}/articles/tricky`);
      assert.equal(first.url, `${BASE}/articles/tricky`);
      assert.equal(first.title, TRICKY);
      assert.equal(first.summary, STANDFIRST_SEEN);
      assert.equal(first.date_published, '2030-03-10T11:00:00Z');
      assert.deepEqual(first.authors, [{ name: `Ann O'Neil <Desk>`, url: `${BASE}/author/ann-oneil` }]);
      assert.deepEqual(first.tags, ['Politics & Power', 'Budget & Tax', 'Local']);
      assert.match(first.image, /^https:\/\/news\.example\.test\/media\/.+\.jpg$/);
      assert.match(first.content_html, /Second paragraph ends here\./);
      assert.match(first.content_html, /Photo: Test Photographer \/ Agency/);
      assert.equal(feed.items[1].image, undefined);
    });

    test('section RSS feed holds only that section; unknown sections are 404', async () => {
      const res = await get('/section/politics/feed.xml');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/rss+xml; charset=utf-8');
      assertSafe(res.body);
      const items = all(parseXml(res.body), 'item');
      assert.deepEqual(
        items.map((i) => textOf(i, 'link')),
        [`${BASE}/articles/tricky`],
      );
      assert.match(readAsHtml(textOf(parseXml(res.body), 'title')).text, /^Politics & Power – /);
      assert.equal((await get('/section/nowhere/feed.xml')).statusCode, 404);
      assert.equal((await get('/section/Not_A_Slug/feed.xml')).statusCode, 404);
    });

    test('sitemap lists home, sections, authors, tags and every published article', async () => {
      const res = await get('/sitemap.xml');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/xml; charset=utf-8');
      assertSafe(res.body);
      const urlset = parseXml(res.body);
      assert.equal(urlset.attrs.xmlns, 'http://www.sitemaps.org/schemas/sitemap/0.9');
      const locs = new Map(kids(urlset, 'url').map((u) => [textOf(u, 'loc'), kids(u, 'lastmod')[0]?.text]));
      for (const path of [
        '/',
        '/section/politics',
        '/author/ann-oneil',
        '/tag/budget-and-tax',
        '/tag/local',
        '/articles/tricky',
        '/articles/old-story',
        '/articles/filler-19',
      ]) {
        assert.ok(locs.has(`${BASE}${path}`), `${path} missing`);
      }
      assert.equal(locs.size, 1 + 1 + 1 + 2 + 22);
      assert.match(locs.get(`${BASE}/articles/tricky`) ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      for (const loc of locs.keys()) assert.ok(loc.startsWith(`${BASE}/`), loc);
    });

    test('news sitemap lists articles of the last 48 hours only', async () => {
      const res = await get('/sitemap-news.xml');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/xml; charset=utf-8');
      assertSafe(res.body);
      const urls = all(parseXml(res.body), 'url');
      assert.deepEqual(
        urls.map((u) => textOf(u, 'loc')),
        [`${BASE}/articles/tricky`],
      );
      const news = one(urls[0]!, 'news:news');
      assert.equal(textOf(news, 'news:name'), 'Masthead');
      assert.equal(textOf(news, 'news:language'), 'en');
      assert.equal(textOf(news, 'news:publication_date'), '2030-03-10T11:00:00Z');
      // Plain text to Google News: XML-escaped once, never HTML-escaped on top.
      assert.equal(textOf(news, 'news:title'), TRICKY);
    });

    test('answers conditional requests, and publishing shows up everywhere at once', async () => {
      const paths = [
        '/feed.xml',
        '/atom.xml',
        '/feed.json',
        '/section/politics/feed.xml',
        '/sitemap.xml',
        '/sitemap-news.xml',
      ];
      const before = new Map<string, string>();
      for (const p of paths) {
        const a = await get(p);
        const etag = String(a.headers.etag);
        assert.equal((await get(p, { 'if-none-match': etag })).statusCode, 304, `${p}: no 304`);
        before.set(p, etag);
      }
      clock.set(new Date(NOW.getTime() + 10 * 60 * 1000));
      try {
        await updateArticle(deps, draftId, {
          slug: 'secret-draft',
          headline: 'Secret draft headline',
          bodyMarkdown: 'Now public.',
          sectionSlug: 'politics',
          status: 'published',
        });
        for (const p of paths) {
          const res = await get(p);
          assert.equal(res.statusCode, 200);
          assert.notEqual(res.headers.etag, before.get(p), `${p}: the cached copy was served`);
          assert.ok(res.body.includes(`${BASE}/articles/secret-draft`), `${p}: the newly published article is missing`);
        }
        const rss = parseXml((await get('/feed.xml')).body);
        assertPlainText(textOf(all(rss, 'item')[0]!, 'title'), 'Secret draft headline');
        assert.equal(all(rss, 'item').length, 20);
      } finally {
        clock.set(NOW);
      }
    });

    test('articles leave the news sitemap 48 hours after publication, without any edit', async () => {
      clock.set(new Date(NOW.getTime() + 46 * HOUR));
      try {
        let locs = all(parseXml((await get('/sitemap-news.xml')).body), 'loc').map((l) => l.text);
        assert.ok(locs.includes(`${BASE}/articles/tricky`), 'gone too early');
        clock.set(new Date(NOW.getTime() + 49 * HOUR));
        const res = await get('/sitemap-news.xml');
        locs = all(parseXml(res.body), 'loc').map((l) => l.text);
        assert.ok(!locs.includes(`${BASE}/articles/tricky`), 'still listed after 48 hours');
        assert.equal(locs.length, 0);
      } finally {
        clock.set(NOW);
      }
    });

    test('robots.txt still names both sitemaps', async () => {
      const res = await get('/robots.txt');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Sitemap: https:\/\/news\.example\.test\/sitemap\.xml/);
      assert.match(res.body, /Sitemap: https:\/\/news\.example\.test\/sitemap-news\.xml/);
    });
  });
}
