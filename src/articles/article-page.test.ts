import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createJobQueue } from '#jobs';
import { fixedClock } from '#lib/clock.ts';
import { createTestDb, dialects, type TestDb } from '#test/db.ts';
import { makeArticle, makeSection, testImage } from '#test/factories.ts';
import {
  createAuthor,
  getArticlePage,
  getPublishedArticle,
  listRelated,
  listSections,
  uploadImage,
  type ArticlesDeps,
} from './service.ts';

// getArticlePage is the article page's read in five statements; it must give exactly what
// getPublishedArticle and listRelated give together.
for (const dialect of dialects) {
  describe(`the article page read on ${dialect}`, () => {
    let t: TestDb;
    let deps: ArticlesDeps;
    const clock = fixedClock('2026-11-20T12:00:00Z');

    before(async () => {
      t = await createTestDb(dialect);
      deps = {
        db: t.db,
        clock,
        mediaDir: `${t.dir}/media`,
        contentChanged: () => {},
        jobs: createJobQueue(t.db, clock),
      };
      await makeSection(deps, { slug: 'news', name: 'News' });
      await makeSection(deps, { slug: 'culture', name: 'Culture' });
      const photo = await uploadImage(deps, await testImage(400, 400, '#aa3300'), {
        originalName: 'face.jpg',
        alt: 'Portrait',
      });
      await createAuthor(deps, { slug: 'ana', name: 'Ana', role: 'Reporter', bio: 'Ana writes.', photoMediaId: photo });
      await createAuthor(deps, { slug: 'ben', name: 'Ben', bio: 'Ben edits.' });
      const at = (h: number) => new Date(Date.UTC(2026, 10, 1, h));
      await makeArticle(deps, {
        slug: 'main',
        sectionSlug: 'news',
        authorSlugs: ['ben', 'ana'],
        tags: ['Harbour', 'Fees', 'Council'],
        publishedAt: at(1),
      });
      await makeArticle(deps, {
        slug: 'two-tags',
        sectionSlug: 'culture',
        authorSlugs: ['ana'],
        tags: ['Harbour', 'Fees'],
        publishedAt: at(2),
        withImage: false,
      });
      await makeArticle(deps, { slug: 'same-section', sectionSlug: 'news', authorSlugs: ['ben'], publishedAt: at(3) });
      await makeArticle(deps, { slug: 'one-tag', authorSlugs: ['ana', 'ben'], tags: ['Council'], publishedAt: at(4) });
      await makeArticle(deps, { slug: 'unrelated', sectionSlug: 'culture', publishedAt: at(5), withImage: false });
      await makeArticle(deps, { slug: 'newest', publishedAt: at(6) });
      await makeArticle(deps, { slug: 'no-section', authorSlugs: [], tags: ['Harbour'], publishedAt: at(7) });
      await makeArticle(deps, {
        slug: 'draft',
        sectionSlug: 'news',
        tags: ['Harbour', 'Fees', 'Council'],
        status: 'draft',
      });
    });
    after(() => t.cleanup());

    test('Read more ranks shared tags, then the section, then recency; never itself or a draft', async () => {
      const main = await getPublishedArticle(deps, 'main');
      const related = await listRelated(deps, main, 20);
      // two-tags (2 shared tags, 6) > one-tag and no-section (1 shared tag, 3; newer first) >
      // same-section (2) > the rest by recency.
      assert.deepEqual(
        related.map((r) => r.slug),
        ['two-tags', 'no-section', 'one-tag', 'same-section', 'newest', 'unrelated'],
      );
    });

    for (const slug of ['main', 'two-tags', 'same-section', 'one-tag', 'no-section', 'newest']) {
      for (const limit of [1, 4, 20]) {
        test(`${slug}, ${limit} related`, async () => {
          const sections = await listSections(deps);
          const article = await getPublishedArticle(deps, slug);
          const related = await listRelated(deps, article, limit);
          assert.deepEqual(await getArticlePage(deps, slug, { sections, relatedLimit: limit }), { article, related });
        });
      }
    }

    test('drafts and unknown slugs are not found', async () => {
      const sections = await listSections(deps);
      for (const slug of ['draft', 'no-such-article']) {
        await assert.rejects(
          getArticlePage(deps, slug, { sections }),
          (e: { code?: string }) => e.code === 'ARTICLES_NOT_FOUND',
        );
      }
    });
  });
}
