import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { updateArticle } from '#articles';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle, makeAuthor, makeSection } from '#test/factories.ts';

for (const dialect of dialects) {
  describe(`public pages on ${dialect}`, () => {
    let t: TestApp;
    let news: { id: number; slug: string; name: string };
    let reporter: { id: number; slug: string; name: string };
    const slugs: string[] = [];

    before(async () => {
      t = await createTestApp(dialect);
      const deps = t.app.masthead.articles;
      news = await makeSection(deps, { slug: 'news', name: 'News' });
      await makeSection(deps, { slug: 'opinion', name: 'Opinion' });
      reporter = await makeAuthor(deps, { slug: 'ana-reporter', name: 'Ana Reporter' });
      // 15 articles, an hour apart, so lists paginate (12 per page) and order is known.
      for (let i = 0; i < 15; i++) {
        const a = await makeArticle(deps, {
          slug: `story-${i}`,
          headline:
            i === 14
              ? `Ministers & "advisers" can't hide <script>alert(1)</script>`
              : `Story number ${i} about harbour fees`,
          sectionSlug: i % 3 === 0 ? 'opinion' : 'news',
          authorSlugs: ['ana-reporter'],
          tags: i % 2 === 0 ? ['Press freedom', 'Economy'] : ['Economy'],
          publishedAt: new Date(Date.UTC(2026, 10, 1, i)),
          withImage: i >= 10,
        });
        slugs.push(a.slug);
      }
      await makeArticle(deps, {
        slug: 'secret-draft',
        headline: 'A draft nobody may see',
        status: 'draft',
        withImage: false,
      });
    });
    after(() => t.close());

    test('the home page shows the lead story first and sections', async () => {
      const res = await t.app.inject('/');
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      const body = res.body;
      const lead = body.indexOf('/articles/story-14');
      assert.ok(lead > 0 && lead < body.indexOf('/articles/story-13'), 'newest first');
      assert.match(body, /<h2 id="sec-news" class="section-title"><a href="\/section\/news">News<\/a><\/h2>/);
      assert.ok(!body.includes('secret-draft'), 'drafts are never listed');
      assert.ok(!body.includes('<script>alert(1)</script>'), 'headlines are escaped');
      assert.match(body, /Ministers &amp; &quot;advisers&quot; can&#39;t hide &lt;script&gt;/);
    });

    test('an article page has headline, image with caption and credit, byline, tags and Read more', async () => {
      const res = await t.app.inject('/articles/story-12');
      assert.equal(res.statusCode, 200);
      const b = res.body;
      assert.match(b, /<h1 class="headline">Story number 12 about harbour fees<\/h1>/);
      assert.match(
        b,
        /<figcaption><p class="caption">A caption for the test image<\/p><p class="credit">Photo: Test Photographer \/ Agency<\/p><\/figcaption>/,
      );
      assert.match(b, /<a href="\/author\/ana-reporter" rel="author">Ana Reporter<\/a>/);
      assert.match(b, /<a href="\/tag\/press-freedom" rel="tag">Press freedom<\/a>/);
      assert.match(b, /<blockquote>/);
      const readMore = b.slice(b.indexOf('id="read-more-title"'));
      const links = [...readMore.matchAll(/<h3 class="card-title"><a href="\/articles\/([a-z0-9-]+)">/g)].map(
        (m) => m[1],
      );
      assert.ok(links.length >= 3 && links.length <= 5, `3–5 related, got ${links.length}`);
      assert.ok(!links.includes('story-12'), 'never the article itself');
      // Shared tags outrank recency: story-12 has both tags, so even-numbered stories come first.
      assert.ok(
        links.slice(0, 3).every((s) => Number(s?.split('-')[1]) % 2 === 0),
        `related: ${links.join(', ')}`,
      );
      assert.match(b, /"@type":"NewsArticle"/);
      assert.match(b, /<meta property="og:image" content="https:\/\/news\.example\.test\/media\//);
      assert.match(b, /<link rel="canonical" href="https:\/\/news\.example\.test\/articles\/story-12">/);
    });

    test('drafts and unknown slugs are 404 pages, not errors', async () => {
      for (const url of [
        '/articles/secret-draft',
        '/articles/no-such-story',
        '/section/nope',
        '/tag/nope',
        '/author/nope',
        '/nothing/here',
      ]) {
        const res = await t.app.inject(url);
        assert.equal(res.statusCode, 404, url);
        assert.match(res.body, /Page not found/);
        assert.equal(res.headers['cache-control'], 'no-store');
      }
    });

    test('malformed addresses get the HTML error page, not a JSON echo', async () => {
      for (const [url, status] of [
        ['/articles/%E0%A4%A', 400],
        ['/tag/%FF', 400],
        [`/articles/${'a'.repeat(300)}`, 414],
      ] as const) {
        const res = await t.app.inject(url);
        assert.equal(res.statusCode, status, url);
        assert.match(res.headers['content-type'] as string, /^text\/html/);
        assert.match(res.body, /That address is not valid/);
        assert.doesNotMatch(res.body, /%E0|%FF|aaaaaaaaaa/);
      }
    });

    test('section, tag and author pages paginate', async () => {
      const p1 = await t.app.inject('/tag/economy');
      assert.equal(p1.statusCode, 200);
      assert.equal([...p1.body.matchAll(/<article class="card">/g)].length, 12);
      assert.match(p1.body, /<a rel="next" href="\/tag\/economy\?page=2">/);
      const p2 = await t.app.inject('/tag/economy?page=2');
      assert.equal([...p2.body.matchAll(/<article class="card">/g)].length, 3);
      assert.equal((await t.app.inject('/tag/economy?page=3')).statusCode, 404);
      assert.equal((await t.app.inject('/tag/economy?page=abc')).statusCode, 400);
      const section = await t.app.inject('/section/news');
      assert.equal(section.statusCode, 200);
      assert.match(section.body, /aria-current="page">News</);
      const author = await t.app.inject(`/author/${reporter.slug}`);
      assert.match(author.body, /<h1>Ana Reporter<\/h1>/);
      assert.ok(news.id > 0);
    });

    test('search finds published articles and treats operators as text', async () => {
      const res = await t.app.inject('/search?q=harbour');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /14 articles match/);
      assert.ok(!res.body.includes('secret-draft'));
      for (const q of ['"', 'NEAR(harbour', 'harbour OR *', 'col:foo', '(((', "it's", '\u0000', '<script>']) {
        const r = await t.app.inject(`/search?q=${encodeURIComponent(q)}`);
        assert.equal(r.statusCode, 200, q);
        assert.ok(!r.body.includes('<script>alert') && !r.body.includes('value="<script>'), q);
      }
      assert.match((await t.app.inject('/search?q=nobody')).body, /No articles match/);
      assert.equal((await t.app.inject(`/search?q=${'a'.repeat(201)}`)).statusCode, 400);
    });

    test('pages carry validators and answer conditional requests with 304', async () => {
      const first = await t.app.inject('/articles/story-3');
      const etag = first.headers.etag as string;
      assert.ok(etag);
      assert.match(first.headers['cache-control'] as string, /public, max-age=60/);
      assert.ok(first.headers['last-modified']);
      const again = await t.app.inject({ url: '/articles/story-3', headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      const gz = await t.app.inject({ url: '/articles/story-3', headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(gz.headers['content-encoding'], 'gzip');
    });

    test('a change to an article reaches the cached pages at once', async () => {
      const deps = t.app.masthead.articles;
      const before = await t.app.inject('/articles/story-5');
      assert.match(before.body, /Story number 5/);
      assert.match((await t.app.inject('/')).body, /Story number 5/);
      await updateArticle(deps, await findId(t, 'story-5'), {
        slug: 'story-5',
        headline: 'Corrected headline for five',
        status: 'published',
        sectionSlug: 'news',
        bodyMarkdown: 'Corrected.',
        updatedAt: new Date(Date.UTC(2026, 10, 20)),
      });
      const after = await t.app.inject('/articles/story-5');
      assert.match(after.body, /Corrected headline for five/);
      assert.match(after.body, /class="updated">Updated/);
      assert.notEqual(after.headers.etag, before.headers.etag);
      assert.match((await t.app.inject('/section/news')).body, /Corrected headline for five/);
      await updateArticle(deps, await findId(t, 'story-5'), {
        slug: 'story-5',
        headline: 'Corrected headline for five',
        status: 'unpublished',
      });
      assert.equal((await t.app.inject('/articles/story-5')).statusCode, 404);
    });

    test('security headers are set on public pages', async () => {
      const res = await t.app.inject('/');
      const csp = res.headers['content-security-policy'] as string;
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['referrer-policy'], 'same-origin');
    });

    test('every kind of response carries the same security headers, from the first request on', async () => {
      const NOT_SECURITY = new Set([
        'content-type',
        'content-length',
        'cache-control',
        'date',
        'connection',
        'keep-alive',
        'etag',
        'last-modified',
        'vary',
        'accept-ranges',
        'x-robots-tag',
        'set-cookie',
        'location',
      ]);
      const security = (h: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(h).filter(([k]) => !NOT_SECURITY.has(k)));
      const expected = security((await t.app.inject('/healthz')).headers);
      for (const name of [
        'content-security-policy',
        'cross-origin-opener-policy',
        'cross-origin-resource-policy',
        'origin-agent-cluster',
        'referrer-policy',
        'x-content-type-options',
        'x-frame-options',
        'x-permitted-cross-domain-policies',
      ]) {
        assert.ok(name in expected, `${name} is set`);
      }
      const urls = [
        '/articles/story-3',
        '/articles/story-4',
        '/',
        '/feed.xml',
        '/search?q=harbour',
        '/articles/no-such-story',
        '/articles/%E0%A4%A',
        '/support',
        '/newsletter',
      ];
      for (const url of urls) assert.deepEqual(security((await t.app.inject(url)).headers), expected, url);
      // The newsroom sets its own, stricter policy; everything else is the same.
      const { 'content-security-policy': nrPolicy, ...nrRest } = security(
        (await t.app.inject('/newsroom/sign-in')).headers,
      );
      const { 'content-security-policy': _publicPolicy, ...rest } = expected;
      assert.deepEqual(nrRest, rest);
      assert.match(String(nrPolicy), /default-src 'none'/);
    });

    test('media variants are served with long-lived caching', async () => {
      const page = (await t.app.inject('/articles/story-12')).body;
      const src = page.match(/<img src="(\/media\/[^"]+\.jpg)"/)?.[1];
      assert.ok(src);
      const img = await t.app.inject(src);
      assert.equal(img.statusCode, 200);
      assert.equal(img.headers['content-type'], 'image/jpeg');
      assert.match(img.headers['cache-control'] as string, /immutable/);
      assert.equal((await t.app.inject('/media/../../etc/passwd')).statusCode, 404);
    });

    test('healthz says the process lives; readyz that the database and media directory are usable', async () => {
      const res = await t.app.inject('/healthz');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ok' });
      const ready = await t.app.inject('/readyz');
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json(), { status: 'ready' });
      assert.equal(ready.headers['cache-control'], 'no-store');
    });
  });
}

async function findId(t: TestApp, slug: string): Promise<number> {
  const row = await t.testDb.db.kysely
    .selectFrom('articles')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}
