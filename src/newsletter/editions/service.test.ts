import crypto from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { updateSettings } from '#settings';
import { findJobByKey } from '#jobs';
import { fixedClock } from '#lib/clock.ts';
import { isAppError } from '#lib/errors.ts';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';
import { until } from '#test/newsletter.ts';
import {
  createEdition,
  ensureAutoDraft,
  getEdition,
  MANAGE_PLACEHOLDER,
  saveComposer,
  scheduleEdition,
  sendDueEdition,
  sendJobKey,
  UNSUBSCRIBE_PLACEHOLDER,
  unscheduleEdition,
  type EditionFields,
  type ItemTexts,
} from '#editions';

const MONDAY = '2026-11-23T10:00:00.000Z';
// Friday 27 November 2026, 09:00 in Riga (EET, UTC+2).
const FRIDAY_NINE = '2026-11-27T07:00:00.000Z';

const noTexts = (): ItemTexts => ({ headings: new Map(), blurbs: new Map() });
const fields = (over: Partial<EditionFields> = {}): EditionFields => ({
  subject: 'This week',
  preheader: 'Three stories',
  intro: 'Hello',
  signOff: 'Bye',
  ...over,
});

async function rejects(p: Promise<unknown>, code: string, status: number): Promise<Record<string, string>> {
  try {
    await p;
  } catch (err) {
    assert.ok(isAppError(err), String(err));
    assert.equal(err.code, code);
    assert.equal(err.status, status);
    return (err as { fields?: Record<string, string> }).fields ?? {};
  }
  throw new Error(`expected ${code}`);
}

async function addSubscribers(app: FastifyInstance, n: number, status: 'active' | 'pending' = 'active'): Promise<void> {
  const now = MONDAY;
  for (let i = 0; i < n; i++) {
    await app.masthead.db.kysely
      .insertInto('subscribers')
      .values({
        email: `${status}-${i}-${crypto.randomBytes(4).toString('hex')}@example.org`,
        status,
        consent_at: now,
        policy_version: null,
        source: null,
        confirmed_at: status === 'active' ? now : null,
        unsubscribed_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}

for (const dialect of dialects) {
  describe(`newsletter editions on ${dialect}`, () => {
    let t: TestApp;
    const clock = fixedClock(MONDAY);
    const articles: { id: number; slug: string }[] = [];
    before(async () => {
      t = await createTestApp(dialect, { clock });
      await updateSettings(t.app.masthead.settings, { timeZone: 'Europe/Riga', name: 'The Example' });
      const a = t.app.masthead.articles;
      articles.push(await makeArticle(a, { headline: 'First story', publishedAt: new Date('2026-11-20T08:00:00Z') }));
      articles.push(
        await makeArticle(a, {
          headline: 'Second story',
          withImage: false,
          publishedAt: new Date('2026-11-21T08:00:00Z'),
        }),
      );
      articles.push(
        await makeArticle(a, {
          headline: 'Third story',
          withImage: false,
          publishedAt: new Date('2026-11-22T08:00:00Z'),
        }),
      );
      articles.push(
        await makeArticle(a, {
          headline: 'Old story',
          withImage: false,
          publishedAt: new Date('2026-10-01T08:00:00Z'),
        }),
      );
      articles.push(await makeArticle(a, { headline: 'Unpublished draft', withImage: false, status: 'draft' }));
    });
    after(() => t.close());

    test('a new edition is a draft named after the coming Friday', async () => {
      const d = t.app.masthead.editions;
      const id = await createEdition(d, null);
      const ed = await getEdition(d, id);
      assert.equal(ed.status, 'draft');
      assert.equal(ed.subject, 'The Example weekly, 2026-11-27');
      assert.deepEqual(ed.items, []);
    });

    test('compose: add articles and headings, edit blurbs, reorder with up and down, remove', async () => {
      const d = t.app.masthead.editions;
      const id = await createEdition(d, null);
      const [a1, a2, a3] = articles;
      assert.ok(a1 && a2 && a3);
      await saveComposer(d, id, fields(), noTexts(), { op: 'add-article', articleId: a1.id });
      await saveComposer(d, id, fields(), noTexts(), { op: 'add-article', articleId: a2.id });
      await saveComposer(d, id, fields(), noTexts(), { op: 'add-heading', heading: 'Also this week' });
      await saveComposer(d, id, fields(), noTexts(), { op: 'add-article', articleId: a3.id });
      let ed = await getEdition(d, id);
      assert.deepEqual(
        ed.items.map((i) => i.article?.headline ?? i.heading),
        ['First story', 'Second story', 'Also this week', 'Third story'],
      );
      assert.match(
        ed.items[0]?.blurb ?? '',
        /^Standfirst of article \d+$/,
        'an added article starts with its standfirst as the blurb',
      );
      const [i1, i2, h, i3] = ed.items;
      assert.ok(i1 && i2 && h && i3);
      await saveComposer(
        d,
        id,
        fields({ subject: 'Renamed' }),
        { headings: new Map([[h.id, 'More news']]), blurbs: new Map([[i1.id, 'Why it matters']]) },
        { op: 'up', itemId: i3.id },
      );
      ed = await getEdition(d, id);
      assert.equal(ed.subject, 'Renamed');
      assert.deepEqual(
        ed.items.map((i) => i.article?.headline ?? i.heading),
        ['First story', 'Second story', 'Third story', 'More news'],
      );
      assert.equal(ed.items[0]?.blurb, 'Why it matters');
      await saveComposer(d, id, fields(), noTexts(), { op: 'up', itemId: i1.id });
      await saveComposer(d, id, fields(), noTexts(), { op: 'down', itemId: i1.id });
      await saveComposer(d, id, fields(), noTexts(), { op: 'down', itemId: h.id });
      ed = await getEdition(d, id);
      assert.deepEqual(
        ed.items.map((i) => i.article?.headline ?? i.heading),
        ['Second story', 'First story', 'Third story', 'More news'],
        'moving past either end changes nothing',
      );
      await saveComposer(d, id, fields(), noTexts(), { op: 'remove', itemId: i2.id });
      ed = await getEdition(d, id);
      assert.deepEqual(
        ed.items.map((i) => i.article?.headline ?? i.heading),
        ['First story', 'Third story', 'More news'],
      );
      assert.deepEqual(ed.items.map((i) => i.id).length, new Set(ed.items.map((i) => i.id)).size);
    });

    test('bad input is refused with field errors and writes nothing', async () => {
      const d = t.app.masthead.editions;
      const id = await createEdition(d, null);
      const a1 = articles[0];
      assert.ok(a1);
      const f = await rejects(
        saveComposer(d, id, fields({ subject: '  ', preheader: 'two\nlines', intro: 'x'.repeat(5001) }), noTexts(), {
          op: 'add-article',
          articleId: a1.id,
        }),
        'EDITIONS_INVALID',
        400,
      );
      assert.deepEqual(Object.keys(f).sort(), ['intro', 'preheader', 'subject']);
      assert.deepEqual((await getEdition(d, id)).items, [], 'the article was not added');
      await rejects(
        saveComposer(d, id, fields(), noTexts(), { op: 'add-heading', heading: '' }),
        'EDITIONS_INVALID',
        400,
      );
      const draft = articles[4];
      assert.ok(draft);
      await rejects(
        saveComposer(d, id, fields(), noTexts(), { op: 'add-article', articleId: draft.id }),
        'EDITIONS_INVALID',
        400,
      );
      await rejects(
        saveComposer(d, id, fields(), noTexts(), { op: 'add-article', articleId: 987654 }),
        'EDITIONS_INVALID',
        400,
      );
      await saveComposer(d, id, fields(), noTexts(), { op: 'add-article', articleId: a1.id });
      await rejects(
        saveComposer(d, id, fields(), noTexts(), { op: 'add-article', articleId: a1.id }),
        'EDITIONS_INVALID',
        400,
      );
      const item = (await getEdition(d, id)).items[0];
      assert.ok(item);
      await rejects(
        saveComposer(
          d,
          id,
          fields(),
          { headings: new Map(), blurbs: new Map([[item.id, 'nul\u0000byte']]) },
          { op: 'save' },
        ),
        'EDITIONS_INVALID',
        400,
      );
      await rejects(saveComposer(d, 987654, fields(), noTexts(), { op: 'save' }), 'EDITIONS_NOT_FOUND', 404);
      assert.equal((await getEdition(d, id)).subject, 'This week');
    });

    test('schedule, reschedule and unschedule move and cancel one durable job', async () => {
      const d = t.app.masthead.editions;
      const id = await createEdition(d, null);
      await rejects(scheduleEdition(d, id, new Date(FRIDAY_NINE)), 'EDITIONS_EMPTY', 400);
      const onlyUnpublished = await createEdition(d, null);
      const later = await makeArticle(t.app.masthead.articles, { headline: 'Pulled later', withImage: false });
      await saveComposer(d, onlyUnpublished, fields(), noTexts(), { op: 'add-article', articleId: later.id });
      await t.app.masthead.db.kysely
        .updateTable('articles')
        .set({ status: 'draft' })
        .where('id', '=', later.id)
        .execute();
      assert.equal((await getEdition(d, onlyUnpublished)).items[0]?.article, null, 'the composer sees it is gone');
      await rejects(scheduleEdition(d, onlyUnpublished, new Date(FRIDAY_NINE)), 'EDITIONS_EMPTY', 400);
      const a1 = articles[0];
      assert.ok(a1);
      await saveComposer(d, id, fields(), noTexts(), { op: 'add-article', articleId: a1.id });
      await rejects(scheduleEdition(d, id, new Date('2026-11-01T00:00:00Z')), 'EDITIONS_INVALID', 400);
      await rejects(scheduleEdition(d, id, new Date('2028-01-01T00:00:00Z')), 'EDITIONS_INVALID', 400);
      await scheduleEdition(d, id, new Date(FRIDAY_NINE));
      const k = t.app.masthead.db.kysely;
      let job = await findJobByKey(k, sendJobKey(id));
      assert.equal(job?.status, 'pending');
      assert.equal(new Date(job?.run_at ?? 0).toISOString(), FRIDAY_NINE);
      await scheduleEdition(d, id, new Date('2026-11-26T07:00:00Z'));
      job = await findJobByKey(k, sendJobKey(id));
      assert.equal(new Date(job?.run_at ?? 0).toISOString(), '2026-11-26T07:00:00.000Z');
      assert.equal(
        (await k.selectFrom('jobs').select('id').where('unique_key', '=', sendJobKey(id)).execute()).length,
        1,
      );
      assert.equal((await getEdition(d, id)).status, 'scheduled');
      await unscheduleEdition(d, id);
      assert.equal((await findJobByKey(k, sendJobKey(id)))?.status, 'cancelled');
      const ed = await getEdition(d, id);
      assert.equal(ed.status, 'draft');
      assert.equal(ed.scheduledFor, null);
      await rejects(unscheduleEdition(d, id), 'EDITIONS_NOT_SCHEDULED', 409);
      assert.equal(await sendDueEdition(d, id), 'not-due', 'a stale job run leaves a draft alone');
    });

    test('the job fires at the scheduled time: renders once, hands over to delivery, makes next Friday’s draft', async () => {
      const d = t.app.masthead.editions;
      await addSubscribers(t.app, 3);
      await addSubscribers(t.app, 2, 'pending');
      const id = await createEdition(d, null);
      const [a1, a2] = articles;
      assert.ok(a1 && a2);
      await saveComposer(d, id, fields({ subject: 'Friday <edition> & more', intro: 'Dear <readers>' }), noTexts(), {
        op: 'add-article',
        articleId: a1.id,
      });
      await saveComposer(d, id, fields({ subject: 'Friday <edition> & more', intro: 'Dear <readers>' }), noTexts(), {
        op: 'add-article',
        articleId: a2.id,
      });
      await scheduleEdition(d, id, new Date(FRIDAY_NINE));
      assert.equal(await sendDueEdition(d, id), 'not-due', 'not before its time');
      const worker = t.app.masthead.startWorker();
      clock.set(FRIDAY_NINE);
      worker.wake();
      const k = t.app.masthead.db.kysely;
      const row = await until(async () => {
        const r = await k.selectFrom('editions').selectAll().where('id', '=', id).executeTakeFirst();
        return r && r.status !== 'scheduled' ? r : null;
      }, 'the edition to start sending');
      assert.ok(['sending', 'sent'].includes(row.status));
      assert.equal(row.slug, '2026-11-27-friday-edition-and-more');
      assert.equal(row.recipient_count, 3, 'only confirmed subscribers');
      assert.ok(row.rendered_html?.includes(UNSUBSCRIBE_PLACEHOLDER) && row.rendered_html.includes(MANAGE_PLACEHOLDER));
      assert.ok(row.rendered_text?.includes(UNSUBSCRIBE_PLACEHOLDER) && row.rendered_text.includes(MANAGE_PLACEHOLDER));
      assert.ok(row.rendered_html?.includes('Dear &lt;readers&gt;'));
      assert.ok(
        row.rendered_html?.includes('https://news.example.test/newsletter/editions/2026-11-27-friday-edition-and-more'),
      );
      const deliveries = await k.selectFrom('deliveries').select('id').where('edition_id', '=', id).execute();
      assert.equal(deliveries.length, 3);
      const drafts = await until(async () => {
        const r = await k.selectFrom('editions').selectAll().where('auto_friday', '=', '2026-12-04').execute();
        return r.length > 0 ? r : null;
      }, 'next Friday’s draft');
      assert.equal(drafts.length, 1);
      const draft = await getEdition(d, drafts[0]?.id ?? 0);
      assert.equal(draft.status, 'draft');
      assert.deepEqual(
        draft.items.map((i) => i.article?.headline),
        ['First story', 'Second story', 'Third story'],
        'the week’s articles, oldest first',
      );
      assert.equal(await sendDueEdition(d, id), 'already', 'a second run changes nothing');
      await rejects(saveComposer(d, id, fields(), noTexts(), { op: 'save' }), 'EDITIONS_LOCKED', 409);
      await rejects(scheduleEdition(d, id, null), 'EDITIONS_LOCKED', 409);
    });

    test('automatic drafts: one per Friday, however many times or processes ask', async () => {
      const d = t.app.masthead.editions;
      clock.set('2026-12-08T12:00:00Z'); // a Tuesday: the draft is for Friday 11 December
      const results = await Promise.all([ensureAutoDraft(d), ensureAutoDraft(d), ensureAutoDraft(d)]);
      assert.equal(results.filter((r) => r !== null).length, 1);
      assert.equal(await ensureAutoDraft(d), null);
      const rows = await t.app.masthead.db.kysely
        .selectFrom('editions')
        .select('id')
        .where('auto_friday', '=', '2026-12-11')
        .execute();
      assert.equal(rows.length, 1);
      clock.set('2026-12-10T12:00:00Z'); // Thursday: Friday is less than a day away, so the next draft is for the 18th
      assert.notEqual(await ensureAutoDraft(d), null);
      assert.equal(
        (
          await t.app.masthead.db.kysely
            .selectFrom('editions')
            .select('id')
            .where('auto_friday', '=', '2026-12-18')
            .execute()
        ).length,
        1,
      );
    });
  });
}
