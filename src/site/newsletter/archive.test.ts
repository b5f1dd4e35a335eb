import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEdition, saveComposer, scheduleEdition, sendDueEdition, type ItemTexts } from '#editions';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';
import { until } from '#test/newsletter.ts';

const noTexts = (): ItemTexts => ({ headings: new Map(), blurbs: new Map() });

for (const dialect of dialects) {
  describe(`newsletter archive on ${dialect}`, () => {
    let t: TestApp;
    let article: { id: number; slug: string };
    let slug = '';
    before(async () => {
      t = await createTestApp(dialect);
      article = await makeArticle(t.app.masthead.articles, { headline: 'The bridge reopens', slug: 'bridge-reopens' });
    });
    after(() => t.close());

    type Step = Parameters<typeof saveComposer>[4];

    async function send(
      subject: string,
      intro = 'Dear readers',
      steps: Step[] = [
        { op: 'add-heading', heading: 'City' },
        { op: 'add-article', articleId: article.id },
      ],
    ): Promise<string> {
      const d = t.app.masthead.editions;
      const id = await createEdition(d, null);
      const fields = { subject, preheader: 'A short week', intro, signOff: 'Until Friday' };
      for (const step of steps) await saveComposer(d, id, fields, noTexts(), step);
      await scheduleEdition(d, id, null);
      assert.equal(await sendDueEdition(d, id), 'sent');
      const row = await t.app.masthead.db.kysely
        .selectFrom('editions')
        .select('slug')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.ok(row.slug);
      return row.slug;
    }

    test('before anything went out: an empty archive, an empty feed, no Preview link', async () => {
      const archive = await t.app.inject('/newsletter/archive');
      assert.equal(archive.statusCode, 200);
      assert.match(archive.body, /No editions have been sent yet/);
      const feed = await t.app.inject('/newsletter/feed.xml');
      assert.equal(feed.statusCode, 200);
      assert.match(String(feed.headers['content-type']), /^application\/rss\+xml/);
      assert.ok(!feed.body.includes('<item>'));
      const page = await t.app.inject(`/articles/${article.slug}`);
      assert.ok(!page.body.includes('>Preview</a>'));
    });

    test('a sent edition: its web page, the archive and the feed (cached pages refreshed), and the Preview link', async () => {
      slug = await send('Bridges <and> tunnels', 'Dear readers,\n\n<b>not bold</b>');
      assert.match(slug, /^\d{4}-\d\d-\d\d-bridges-and-tunnels$/);
      const page = await t.app.inject(`/newsletter/editions/${slug}`);
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['cache-control']), /^public/);
      assert.ok(page.body.includes('<h1>Bridges &lt;and&gt; tunnels</h1>'));
      assert.ok(page.body.includes('&lt;b&gt;not bold&lt;/b&gt;'));
      assert.ok(page.body.includes('<a href="/articles/bridge-reopens">The bridge reopens</a>'));
      assert.ok(page.body.includes('<h2 class="edition-heading">City</h2>'));
      assert.ok(!page.body.includes('{{'), 'no placeholders');
      assert.ok(!/newsletter\/(unsubscribe|manage)\//.test(page.body), 'no personal links');
      const archive = await t.app.inject('/newsletter/archive');
      assert.ok(
        archive.body.includes(`<a href="/newsletter/editions/${slug}">Bridges &lt;and&gt; tunnels</a>`),
        'the cached empty archive was dropped',
      );
      const feed = await t.app.inject('/newsletter/feed.xml');
      assert.ok(feed.body.includes(`<link>https://news.example.test/newsletter/editions/${slug}</link>`));
      assert.ok(
        feed.body.includes('href=&quot;https://news.example.test/articles/bridge-reopens&quot;') ||
          feed.body.includes('href="https://news.example.test/articles/bridge-reopens"'),
      );
      await until(
        async () =>
          (await t.app.inject(`/articles/${article.slug}`)).body.includes(
            `<a href="/newsletter/editions/${slug}">Preview</a>`,
          ),
        'the Preview link',
      );
      const map = await t.app.inject('/newsletter/sitemap.xml');
      assert.equal(map.statusCode, 200);
      assert.ok(map.body.includes(`<loc>https://news.example.test/newsletter/editions/${slug}</loc>`));
      assert.ok(map.body.includes('<loc>https://news.example.test/newsletter/archive</loc>'));
      assert.match(
        (await t.app.inject('/robots.txt')).body,
        /Sitemap: https:\/\/news\.example\.test\/newsletter\/sitemap\.xml/,
      );
      const np = await t.app.inject('/newsletter');
      assert.ok(np.body.includes(`<a href="/newsletter/editions/${slug}">Preview</a>`));
      assert.ok(np.body.includes('href="/newsletter/archive"'));
      assert.ok(np.body.includes('href="/newsletter/feed.xml"'));
    });

    test('the archive pages through editions, newest first; bad page numbers are a 400', async () => {
      for (let i = 0; i < 20; i++) await send(`Edition number ${i}`);
      const first = await t.app.inject('/newsletter/archive');
      assert.equal([...first.body.matchAll(/<li><h2><a href="\/newsletter\/editions\//g)].length, 20);
      assert.ok(first.body.includes('Edition number 19'));
      assert.ok(first.body.includes('href="/newsletter/archive?page=2"'));
      const second = await t.app.inject('/newsletter/archive?page=2');
      assert.equal(second.statusCode, 200);
      assert.ok(second.body.includes('Bridges &lt;and&gt; tunnels'), 'the oldest is on the last page');
      assert.equal((await t.app.inject('/newsletter/archive?page=0')).statusCode, 400);
      assert.equal((await t.app.inject('/newsletter/archive?page=3')).statusCode, 404, 'past the last page');
      assert.equal((await t.app.inject('/newsletter/archive?page=abc')).statusCode, 400);
    });

    test('unknown, malformed, draft and scheduled editions are a 404', async () => {
      const d = t.app.masthead.editions;
      const k = t.app.masthead.db.kysely;
      const draft = await createEdition(d, null);
      await k.updateTable('editions').set({ slug: 'a-draft-with-a-slug' }).where('id', '=', draft).execute();
      const scheduled = await createEdition(d, null);
      await saveComposer(d, scheduled, { subject: 'Later', preheader: '', intro: '', signOff: '' }, noTexts(), {
        op: 'add-article',
        articleId: article.id,
      });
      await scheduleEdition(d, scheduled, new Date(Date.now() + 86_400_000));
      await k.updateTable('editions').set({ slug: 'a-scheduled-one' }).where('id', '=', scheduled).execute();
      for (const path of [
        '/newsletter/editions/no-such-edition',
        '/newsletter/editions/a-draft-with-a-slug',
        '/newsletter/editions/a-scheduled-one',
        '/newsletter/editions/Bad%20Slug',
        `/newsletter/editions/${'x'.repeat(150)}`,
      ]) {
        const res = await t.app.inject(path);
        assert.equal(res.statusCode, 404, path);
        assert.equal(res.headers['cache-control'], 'no-store', path);
      }
    });

    test('an edition page never skips a heading level, with or without section headings', async () => {
      const second = await makeArticle(t.app.masthead.articles, {
        headline: 'The ferry returns',
        slug: 'ferry-returns',
      });
      const slug = await send('Stories first', '', [
        { op: 'add-article', articleId: article.id },
        { op: 'add-heading', heading: 'Also' },
        { op: 'add-article', articleId: second.id },
      ]);
      const body = (await t.app.inject(`/newsletter/editions/${slug}`)).body;
      const levels = [...body.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
      assert.deepEqual(levels, [1, 2, 2, 3]);
    });
  });
}
