import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { submitForReview } from '#articles';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle, makeAuthor, makeSection } from '#test/factories.ts';
import { makeStaff, signedIn, type Browser } from '#test/newsroom.ts';

const headlines = (body: string) =>
  [...body.matchAll(/<td><a href="\/newsroom\/articles\/\d+">([^<]+)<\/a><\/td>/g)].map((m) => m[1]).sort();

for (const dialect of dialects) {
  describe(`newsroom article list filters on ${dialect}`, () => {
    let t: TestApp;
    let b: Browser;
    before(async () => {
      t = await createTestApp(dialect);
      const deps = t.app.masthead.articles;
      await makeSection(deps, { slug: 'news', name: 'News' });
      await makeSection(deps, { slug: 'opinion', name: 'Opinion' });
      await makeAuthor(deps, { slug: 'ana', name: 'Ana' });
      await makeAuthor(deps, { slug: 'bo', name: 'Bo' });
      await makeArticle(deps, {
        headline: 'Harbour fees rise',
        sectionSlug: 'news',
        authorSlugs: ['ana'],
        withImage: false,
      });
      await makeArticle(deps, {
        headline: 'Why the fees are wrong',
        sectionSlug: 'opinion',
        authorSlugs: ['bo'],
        withImage: false,
      });
      const draft = await makeArticle(deps, {
        headline: 'Draft on the 100% harbour_tax',
        status: 'draft',
        sectionSlug: 'news',
        authorSlugs: ['bo'],
        withImage: false,
      });
      await makeArticle(deps, { headline: 'Untouched draft', status: 'draft', withImage: false });
      await submitForReview(deps, draft.id);
      b = await signedIn(t.app, await makeStaff(t.app, 'editor'));
    });
    after(() => t.close());

    test('status, section, author and text filters combine', async () => {
      assert.deepEqual(headlines((await b.get('/newsroom/articles')).body).length, 4);
      assert.deepEqual(headlines((await b.get('/newsroom/articles?status=published')).body), [
        'Harbour fees rise',
        'Why the fees are wrong',
      ]);
      assert.deepEqual(headlines((await b.get('/newsroom/articles?status=submitted')).body), [
        'Draft on the 100% harbour_tax',
      ]);
      assert.deepEqual(headlines((await b.get('/newsroom/articles?section=news')).body), [
        'Draft on the 100% harbour_tax',
        'Harbour fees rise',
      ]);
      assert.deepEqual(headlines((await b.get('/newsroom/articles?author=bo&section=news')).body), [
        'Draft on the 100% harbour_tax',
      ]);
      assert.deepEqual(headlines((await b.get('/newsroom/articles?q=HARBOUR')).body), [
        'Draft on the 100% harbour_tax',
        'Harbour fees rise',
      ]);
      // LIKE wildcards in the text are literal.
      assert.deepEqual(headlines((await b.get('/newsroom/articles?q=100%25')).body), ['Draft on the 100% harbour_tax']);
      assert.deepEqual(headlines((await b.get('/newsroom/articles?q=r_t')).body), ['Draft on the 100% harbour_tax']);
      assert.equal((await b.get('/newsroom/articles?status=bogus')).statusCode, 200);
      assert.equal((await b.get('/newsroom/articles?page=-3')).statusCode, 400);
    });
  });
}
