import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedDemoEdition } from '#editions';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';

for (const dialect of dialects) {
  describe(`demo edition on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('with no articles there is nothing to send, and nothing is stored', async () => {
      assert.equal(await seedDemoEdition(t.app.masthead.editions), null);
      assert.equal((await t.app.masthead.db.kysely.selectFrom('editions').select('id').execute()).length, 0);
    });

    test('the demo stores one sent edition (no mail) that the archive shows; a second run adds nothing', async () => {
      for (let i = 0; i < 5; i++) await makeArticle(t.app.masthead.articles, { withImage: i === 0 });
      const id = await seedDemoEdition(t.app.masthead.editions);
      assert.ok(id);
      const k = t.app.masthead.db.kysely;
      const row = await k.selectFrom('editions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'sent');
      assert.ok(row.slug && row.rendered_html?.includes('{{unsubscribe_url}}'));
      assert.equal((await k.selectFrom('deliveries').select('id').execute()).length, 0, 'nobody is mailed');
      assert.equal((await k.selectFrom('outbox_messages').select('id').execute()).length, 0);
      const archive = await t.app.inject('/newsletter/archive');
      assert.ok(archive.body.includes(`href="/newsletter/editions/${row.slug}"`));
      assert.equal((await t.app.inject(`/newsletter/editions/${row.slug}`)).statusCode, 200);
      assert.equal(await seedDemoEdition(t.app.masthead.editions), null);
      const drafts = await k.selectFrom('editions').select('id').where('status', '=', 'draft').execute();
      assert.equal(drafts.length, 1, 'next Friday’s draft is waiting in the composer');
    });
  });
}
