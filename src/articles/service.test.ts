import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createJobQueue } from '#jobs';
import { fixedClock } from '#lib/clock.ts';
import { createTestDb, dialects, type TestDb } from '#test/db.ts';
import { makeArticle, makeSection } from '#test/factories.ts';
import {
  createArticle,
  getPublishedArticle,
  listPublished,
  searchArticles,
  updateArticle,
  type ArticlesDeps,
} from './service.ts';

for (const dialect of dialects) {
  describe(`articles service on ${dialect}`, () => {
    let t: TestDb;
    let deps: ArticlesDeps;
    let changes = 0;
    const clock = fixedClock('2026-11-20T12:00:00Z');

    before(async () => {
      t = await createTestDb(dialect);
      deps = {
        db: t.db,
        clock,
        mediaDir: `${t.dir}/media`,
        contentChanged: () => void changes++,
        jobs: createJobQueue(t.db, clock),
      };
      await makeSection(deps, { slug: 'news', name: 'News' });
    });
    after(() => t.cleanup());

    test('invalid input is refused with field errors and writes nothing', async () => {
      const before = (await listPublished(deps, { page: 1, perPage: 50 })).total;
      await assert.rejects(
        createArticle(deps, { headline: '  ', slug: 'Bad Slug!' }),
        (e: { code?: string; fields?: Record<string, string> }) => {
          assert.equal(e.code, 'ARTICLES_INVALID');
          assert.ok(e.fields?.headline && e.fields.slug);
          return true;
        },
      );
      await assert.rejects(
        createArticle(deps, { headline: 'Fine', sectionSlug: 'no-such', status: 'published' }),
        (e: { fields?: Record<string, string> }) => Boolean(e.fields?.sectionSlug),
      );
      await assert.rejects(
        createArticle(deps, { headline: 'Fine', authorSlugs: ['ghost'], status: 'published' }),
        (e: { fields?: Record<string, string> }) => Boolean(e.fields?.authorSlugs),
      );
      assert.equal((await listPublished(deps, { page: 1, perPage: 50 })).total, before);
    });

    test('a lead image that does not exist is a field error, not a crash', async () => {
      await assert.rejects(
        createArticle(deps, { headline: 'Ghost image', lead: { mediaId: 424242 } }),
        (e: { code?: string; fields?: Record<string, string> }) =>
          e.code === 'ARTICLES_INVALID' && Boolean(e.fields?.['lead.mediaId']),
      );
    });

    test('a taken slug is a conflict', async () => {
      await makeArticle(deps, { slug: 'taken', withImage: false });
      await assert.rejects(
        createArticle(deps, { slug: 'taken', headline: 'Another' }),
        (e: { status?: number; code?: string }) => e.status === 409 && e.code === 'ARTICLES_SLUG_TAKEN',
      );
    });

    test('slugs come from headlines; publishing stamps the clock time and announces the change', async () => {
      const n = changes;
      const id = await createArticle(deps, {
        headline: 'Café owners’ strike & the “new” rules',
        status: 'published',
        sectionSlug: 'news',
      });
      const a = await getPublishedArticle(deps, 'cafe-owners-strike-and-the-new-rules');
      assert.equal(a.id, id);
      assert.equal(a.publishedAt, '2026-11-20T12:00:00.000Z');
      assert.equal(changes, n + 1);
      const draft = await createArticle(deps, { headline: 'Quiet draft' });
      assert.equal(changes, n + 1, 'a draft changes nothing public');
      clock.advance(3_600_000);
      await updateArticle(deps, draft, { headline: 'Quiet draft', status: 'published' });
      assert.equal((await getPublishedArticle(deps, 'quiet-draft')).publishedAt, '2026-11-20T13:00:00.000Z');
      assert.equal(changes, n + 2);
    });

    test('bodies are sanitised and searchable; edits reach the index', async () => {
      const id = await createArticle(deps, {
        slug: 'sanitised',
        headline: 'Sanitised',
        bodyMarkdown: 'Smugglers <img src=x onerror=alert(1)> at the **lighthouse**',
        status: 'published',
      });
      const a = await getPublishedArticle(deps, 'sanitised');
      assert.doesNotMatch(a.bodyHtml, /onerror/);
      assert.match(a.bodyHtml, /<strong>lighthouse<\/strong>/);
      assert.deepEqual(
        (await searchArticles(deps, 'lighthouse', 1, 10)).items.map((i) => i.slug),
        ['sanitised'],
      );
      assert.deepEqual(
        (await searchArticles(deps, 'lightho', 1, 10)).items.map((i) => i.slug),
        ['sanitised'],
      );
      await updateArticle(deps, id, {
        slug: 'sanitised',
        headline: 'Sanitised',
        bodyMarkdown: 'Now about the granary',
        status: 'published',
      });
      assert.equal((await searchArticles(deps, 'lighthouse', 1, 10)).total, 0);
      assert.equal((await searchArticles(deps, 'granary', 1, 10)).total, 1);
    });
  });
}
