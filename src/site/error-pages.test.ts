import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';

for (const dialect of dialects) {
  test(`when the database fails, readers get a plain 500 page without detail (${dialect})`, async () => {
    const t = await createTestApp(dialect);
    try {
      await makeArticle(t.app.masthead.articles, { slug: 'cached-before', withImage: false });
      assert.equal((await t.app.inject('/articles/cached-before')).statusCode, 200);
      // Break the database underneath the running app.
      await t.testDb.db.kysely.schema.dropTable('article_authors').execute();
      t.app.masthead.pageCache.clear();
      const res = await t.app.inject('/articles/cached-before');
      assert.equal(res.statusCode, 500);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.body, /Something went wrong/);
      assert.doesNotMatch(res.body, /article_authors|\n\s+at |SqliteError|error:/i);
      const ready = await t.app.inject('/readyz');
      assert.equal(ready.statusCode, 200, 'the database itself still answers');
    } finally {
      await t.close();
    }
  });
}
