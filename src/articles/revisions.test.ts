import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { migrate } from '#db';
import { createJobQueue } from '#jobs';
import { fixedClock } from '#lib/clock.ts';
import { createTestDb, dialects, type TestDb } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';
import { autosaveArticle, compareRevision, listRevisions, restoreRevision } from './revisions.ts';
import { getArticleForEditing } from './drafts.ts';
import { createArticle, updateArticle, type ArticlesDeps } from './service.ts';
import { scheduleArticle } from './publishing.ts';

for (const dialect of dialects) {
  describe(`article revisions on ${dialect}`, () => {
    let t: TestDb;
    let deps: ArticlesDeps;
    const clock = fixedClock('2026-11-20T12:00:00Z');
    let staffA: number;
    let staffB: number;

    before(async () => {
      t = await createTestDb(dialect);
      deps = {
        db: t.db,
        clock,
        mediaDir: `${t.dir}/media`,
        contentChanged: () => {},
        jobs: createJobQueue(t.db, clock),
      };
      const now = clock.now().toISOString();
      const staff = (email: string) =>
        t.db.kysely
          .insertInto('staff')
          .values({
            email,
            name: email,
            role: 'author',
            status: 'active',
            password_hash: 'x',
            totp_secret: null,
            totp_enabled: 0,
            totp_last_step: null,
            recovery_codes: '[]',
            author_id: null,
            created_at: now,
            updated_at: now,
            password_changed_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
      staffA = (await staff('a@news.example.test')).id;
      staffB = (await staff('b@news.example.test')).id;
    });
    after(() => t.cleanup());

    const draft = (headline: string) =>
      createArticle(deps, { headline, bodyMarkdown: 'Body one.' }, { createdBy: staffA });
    const words = (headline: string, bodyMarkdown: string) => ({ headline, bodyMarkdown });

    test('consecutive autosaves by one person collapse into one revision; another person starts a new one', async () => {
      const id = await draft('Autosaves');
      await autosaveArticle(deps, id, words('Autosaves', 'a'), staffA);
      clock.advance(10_000);
      await autosaveArticle(deps, id, words('Autosaves', 'ab'), staffA);
      await autosaveArticle(deps, id, words('Autosaves', 'abc'), staffB);
      await updateArticle(deps, id, words('Autosaves', 'abcd'), { revisionBy: staffB });
      await autosaveArticle(deps, id, words('Autosaves', 'abcde'), staffB);
      const { items } = await listRevisions(deps, id);
      assert.deepEqual(
        items.map((r) => [r.note, r.createdBy]),
        [
          ['autosave', staffB],
          ['', staffB],
          ['autosave', staffB],
          ['autosave', staffA],
          ['', staffA],
        ],
      );
      const kept = items[3];
      assert.ok(kept);
      assert.equal(
        (await compareRevision(deps, id, kept.id)).body.find((l) => l.op === 'removed')?.text,
        'ab',
        'the collapsed revision holds the last autosave',
      );
    });

    test('autosave refuses scheduled and published articles and changes nothing', async () => {
      const scheduled = await draft('Going out tomorrow');
      await scheduleArticle(deps, scheduled, new Date('2026-11-21T09:00:00Z'));
      const published = (await makeArticle(deps, { withImage: false, headline: 'Live' })).id;
      for (const id of [scheduled, published]) {
        const before = await getArticleForEditing(deps, id);
        await assert.rejects(
          autosaveArticle(deps, id, { ...words('Changed', 'Changed'), status: before.status }, staffA),
          (e: { code?: string; status?: number }) => e.code === 'ARTICLES_PUBLIC' && e.status === 409,
        );
        const after = await getArticleForEditing(deps, id);
        assert.deepEqual([after.headline, after.status], [before.headline, before.status]);
      }
    });

    test('restore keeps everything but the words, and a revision of another article is not found', async () => {
      const id = await createArticle(
        deps,
        { headline: 'First words', bodyMarkdown: 'One.', tags: ['Budget'], status: 'published' },
        { createdBy: staffA },
      );
      const [first] = (await listRevisions(deps, id)).items;
      assert.ok(first);
      await updateArticle(deps, id, {
        headline: 'Second words',
        bodyMarkdown: 'Two.',
        tags: ['Budget'],
        status: 'published',
      });
      await restoreRevision(deps, id, first.id, staffB);
      const a = await getArticleForEditing(deps, id);
      assert.deepEqual(
        [a.headline, a.bodyMarkdown, a.status, a.tags],
        ['First words', 'One.', 'published', ['Budget']],
      );
      const other = await draft('Other');
      await assert.rejects(restoreRevision(deps, other, first.id), (e: { status?: number }) => e.status === 404);
      await assert.rejects(compareRevision(deps, other, first.id), (e: { status?: number }) => e.status === 404);
    });

    test('the migration starts the history of existing articles with their current text', async () => {
      const id = await draft('Older than history');
      await updateArticle(deps, id, words('Older than history', 'Current text.'));
      const k = t.db.kysely;
      await sql`drop table article_revisions`.execute(k);
      await k.deleteFrom('schema_migrations').where('id', '=', '0006-revisions').execute();
      assert.deepEqual(await migrate(t.db), ['0006-revisions']);
      const { items } = await listRevisions(deps, id);
      assert.equal(items.length, 1);
      assert.equal(items[0]?.createdBy, null);
      assert.ok((await compareRevision(deps, id, items[0]?.id ?? 0)).same);
    });
  });
}
