import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '#app';
import { updateArticle } from '#articles';
import { openDatabase } from '#db';
import { testConfig } from '#test/app.ts';
import { createTestDb, dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';

test(
  'a change made by one process clears the page cache of another (PostgreSQL)',
  { skip: !dialects.includes('postgres') && 'needs PostgreSQL' },
  async () => {
    const t = await createTestDb('postgres');
    const otherDb = openDatabase(t.target);
    const config = testConfig(t.dir);
    const writer = await buildApp({ config, db: t.db, logger: false });
    const reader = await buildApp({ config, db: otherDb, logger: false });
    try {
      const a = await makeArticle(writer.masthead.articles, {
        slug: 'shared-story',
        headline: 'First version',
        withImage: false,
      });
      // The writer's own notification may still be on its way; a page rendered while content
      // changes is (rightly) not cached, so ask until the reader holds it.
      for (let i = 0; i < 100 && reader.masthead.pageCache.size === 0; i++) {
        assert.match((await reader.inject('/articles/shared-story')).body, /First version/);
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(reader.masthead.pageCache.size, 1);
      await updateArticle(writer.masthead.articles, a.id, {
        slug: 'shared-story',
        headline: 'Second version',
        status: 'published',
      });
      let body = '';
      for (let i = 0; i < 100 && !body.includes('Second version'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        body = (await reader.inject('/articles/shared-story')).body;
      }
      assert.match(body, /Second version/);
    } finally {
      await reader.close();
      await writer.close();
      await otherDb.close();
      await t.cleanup();
    }
  },
);

test('with the page cache off every request renders afresh', async () => {
  const t = await createTestDb(dialects[0] ?? 'sqlite');
  const app = await buildApp({ config: testConfig(t.dir, { PAGE_CACHE: '0' }), db: t.db, logger: false });
  try {
    await makeArticle(app.masthead.articles, { slug: 'uncached', headline: 'Uncached story', withImage: false });
    assert.equal((await app.inject('/articles/uncached')).statusCode, 200);
    assert.equal(app.masthead.pageCache.size, 0);
  } finally {
    await app.close();
    await t.cleanup();
  }
});

test('the app refuses to start on a database migrated by a newer version', async () => {
  const t = await createTestDb('sqlite');
  try {
    await t.db.kysely
      .insertInto('schema_migrations')
      .values({ id: '9999-from-the-future', applied_at: new Date().toISOString() })
      .execute();
    await assert.rejects(
      buildApp({ config: testConfig(t.dir), db: t.db, logger: false }),
      (err: { code?: string }) => err.code === 'DB_SCHEMA_NEWER',
    );
  } finally {
    await t.cleanup();
  }
});
