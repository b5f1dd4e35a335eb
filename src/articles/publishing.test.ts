import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildApp } from '#app';
import { findJobByKey } from '#jobs';
import { fixedClock } from '#lib/clock.ts';
import { testConfig } from '#test/app.ts';
import { createTestDb, dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';
import { publishJobKey } from './jobs.ts';
import { scheduleArticle, unscheduleArticle } from './publishing.ts';

const until = async (cond: () => Promise<boolean>, what: string) => {
  const end = Date.now() + 15_000;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

for (const dialect of dialects) {
  describe(`scheduled publishing on ${dialect}`, () => {
    test('a scheduled article appears on the site, in feeds and the home page at its time', async () => {
      const t = await createTestDb(dialect);
      const clock = fixedClock('2026-11-27T08:00:00Z');
      const app = await buildApp({ config: testConfig(t.dir), db: t.db, clock, logger: false });
      try {
        const deps = app.masthead.articles;
        const a = await makeArticle(deps, {
          slug: 'friday-story',
          headline: 'The Friday story',
          status: 'draft',
          withImage: false,
        });
        await scheduleArticle(deps, a.id, new Date('2026-11-27T09:00:00Z'));
        app.masthead.startWorker();
        assert.equal((await app.inject('/articles/friday-story')).statusCode, 404);
        assert.doesNotMatch((await app.inject('/feed.xml')).body, /The Friday story/);
        const job = await findJobByKey(t.db.kysely, publishJobKey(a.id));
        assert.equal(job?.status, 'pending');
        await new Promise((r) => setTimeout(r, 100));
        assert.equal((await app.inject('/articles/friday-story')).statusCode, 404, 'not before its time');

        clock.set('2026-11-27T09:00:01Z');
        app.masthead.jobs.notify();
        await until(async () => (await app.inject('/articles/friday-story')).statusCode === 200, 'publication');
        const page = (await app.inject('/articles/friday-story')).body;
        assert.match(page, /datetime="2026-11-27T09:00:00.000Z"/);
        assert.match((await app.inject('/')).body, /The Friday story/);
        assert.match((await app.inject('/feed.xml')).body, /The Friday story/);
        assert.equal((await findJobByKey(t.db.kysely, publishJobKey(a.id)))?.status, 'done');
      } finally {
        await app.close();
        await t.cleanup();
      }
    });

    test('an article due while the server was down is published right after it starts', async () => {
      const t = await createTestDb(dialect);
      const clock = fixedClock('2026-11-27T08:00:00Z');
      const config = testConfig(t.dir);
      const first = await buildApp({ config, db: t.db, clock, logger: false });
      const a = await makeArticle(first.masthead.articles, { slug: 'while-down', status: 'draft', withImage: false });
      await scheduleArticle(first.masthead.articles, a.id, new Date('2026-11-27T08:30:00Z'));
      await first.close(); // the server goes down before 08:30

      clock.set('2026-11-27T11:00:00Z');
      const second = await buildApp({ config, db: t.db, clock, logger: false });
      try {
        second.masthead.startWorker();
        await until(
          async () => (await second.inject('/articles/while-down')).statusCode === 200,
          'publication after restart',
        );
      } finally {
        await second.close();
        await t.cleanup();
      }
    });

    test('rescheduling keeps one job; unscheduling cancels it and returns the article to draft', async () => {
      const t = await createTestDb(dialect);
      const clock = fixedClock('2026-11-27T08:00:00Z');
      const app = await buildApp({ config: testConfig(t.dir), db: t.db, clock, logger: false });
      try {
        const deps = app.masthead.articles;
        const a = await makeArticle(deps, { slug: 'moving', status: 'draft', withImage: false });
        await scheduleArticle(deps, a.id, new Date('2026-11-28T09:00:00Z'));
        await scheduleArticle(deps, a.id, new Date('2026-11-29T09:00:00Z'));
        const jobs = await t.db.kysely.selectFrom('jobs').selectAll().execute();
        assert.equal(jobs.length, 1);
        assert.equal(jobs[0]?.run_at, '2026-11-29T09:00:00.000Z');
        await unscheduleArticle(deps, a.id);
        assert.equal((await findJobByKey(t.db.kysely, publishJobKey(a.id)))?.status, 'cancelled');
        const row = await t.db.kysely
          .selectFrom('articles')
          .select('status')
          .where('id', '=', a.id)
          .executeTakeFirstOrThrow();
        assert.equal(row.status, 'draft');
      } finally {
        await app.close();
        await t.cleanup();
      }
    });
  });
}
