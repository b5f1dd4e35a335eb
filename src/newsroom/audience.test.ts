// The audience dashboard: subscriber history and per-edition figures, as charts and tables.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SubscriberEventKind, SubscriberStatus } from '#db';
import { fixedClock } from '#lib/clock.ts';
import { bounceWebhookSecret, monthlyHistory } from '#newsletter';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeStaff, signedIn } from '#test/newsroom.ts';
import { axis, chart, lastMonths, monthAxisLabels, niceMax } from './charts.ts';

const NOW = '2026-11-27T09:00:00.000Z';

describe('charts', () => {
  test('axis bounds are round numbers at or above the largest value', () => {
    assert.deepEqual([0, 1, 3, 7, 10, 11, 99, 101, 4500].map(niceMax), [1, 1, 5, 10, 10, 20, 100, 200, 5000]);
  });
  test('count axes have whole steps; money axes split evenly', () => {
    assert.deepEqual(axis(1, true), { max: 5, intervals: 5 });
    assert.deepEqual(axis(40, true), { max: 50, intervals: 5 });
    assert.deepEqual(axis(17, true), { max: 20, intervals: 4 });
    assert.deepEqual(axis(0.3, false), { max: 0.5, intervals: 5 });
  });
  test('month axis labels name the year once and at each January', () => {
    assert.deepEqual(monthAxisLabels(['2025-11', '2025-12', '2026-01', '2026-02']), [
      'Nov 2025',
      'Dec',
      'Jan 2026',
      'Feb',
    ]);
  });
  test('months run oldest first and cross year ends', () => {
    assert.deepEqual(lastMonths(new Date('2026-02-15T00:00:00Z'), 4), ['2025-11', '2025-12', '2026-01', '2026-02']);
  });
  test('a chart escapes its labels and carries its figures as a table', () => {
    const out = chart(
      { title: 'T <x>', labels: ['<a>', 'b'], kind: 'bars', series: [{ name: 'S"1', values: [3, 12] }] },
      'c',
    ).value;
    assert.ok(out.includes('T &lt;x&gt;'));
    assert.ok(!out.includes('<a>'));
    assert.match(out, /<svg viewBox="0 0 640 230" role="img"/);
    assert.equal((out.match(/<rect x=/g) ?? []).length, 2);
    assert.match(out, /<td>12<\/td>/);
    assert.doesNotMatch(out, /style=/, 'no inline styles: the CSP forbids them');
  });
});

for (const dialect of dialects) {
  describe(`audience dashboard on ${dialect}`, () => {
    let t: TestApp;
    let editionId = 0;

    async function subscriber(email: string, status: SubscriberStatus): Promise<number> {
      const r = await t.testDb.db.kysely
        .insertInto('subscribers')
        .values({
          email,
          status,
          consent_at: NOW,
          policy_version: null,
          source: '/',
          confirmed_at: NOW,
          unsubscribed_at: null,
          created_at: NOW,
          updated_at: NOW,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    }
    async function event(
      kind: SubscriberEventKind,
      at: string,
      subscriberId: number | null = null,
      edition: number | null = null,
    ) {
      await t.testDb.db.kysely
        .insertInto('subscriber_events')
        .values({ kind, created_at: at, subscriber_id: subscriberId, edition_id: edition })
        .execute();
    }

    before(async () => {
      t = await createTestApp(dialect, { clock: fixedClock(NOW) });
      const k = t.testDb.db.kysely;
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push(await subscriber(`active${i}@example.org`, 'active'));
      const gone = await subscriber('gone@example.org', 'unsubscribed');
      await subscriber('bad@example.org', 'bounced');
      await subscriber('new@example.org', 'pending');
      const e = await k
        .insertInto('editions')
        .values({
          status: 'sent',
          slug: 'week-47',
          subject: 'Week 47 <b>bold</b>',
          preheader: '',
          intro: '',
          sign_off: '',
          recipient_count: 7,
          started_at: '2026-11-20T09:00:00.000Z',
          sent_at: '2026-11-20T09:05:00.000Z',
          created_at: NOW,
          updated_at: NOW,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      editionId = e.id;
      const statuses = ['sent', 'sent', 'sent', 'sent', 'sent', 'failed', 'skipped'] as const;
      const all = [...ids, gone, null];
      for (const [i, s] of statuses.entries()) {
        await k
          .insertInto('deliveries')
          .values({
            edition_id: editionId,
            subscriber_id: all[i] ?? null,
            status: s,
            message_id: `<m${i}@news.example.test>`,
            next_attempt_at: NOW,
          })
          .execute();
      }
      // Six confirmations in September, one in November; one unsubscribe and one bounce in November.
      for (let i = 0; i < 6; i++) await event('confirmed', '2026-09-10T10:00:00.000Z');
      await event('confirmed', '2026-11-02T10:00:00.000Z');
      await event('unsubscribed', '2026-11-21T10:00:00.000Z', gone, editionId);
      await event('bounced', '2026-11-20T09:03:00.000Z', null, editionId);
    });
    after(() => t.close());

    test('history by month works the active count back from today', async () => {
      const h = await monthlyHistory(t.app.masthead.newsletter, lastMonths(new Date(NOW), 4));
      assert.deepEqual(
        h.map((m) => [m.month, m.confirmed, m.unsubscribed, m.bounced, m.activeAtEnd]),
        [
          ['2026-08', 0, 0, 0, 0],
          ['2026-09', 6, 0, 0, 6],
          ['2026-10', 0, 0, 0, 6],
          ['2026-11', 1, 1, 1, 5],
        ],
      );
    });

    test('editors see counts, charts and per-edition figures; never an address', async () => {
      const editor = await signedIn(t.app, await makeStaff(t.app, 'editor'));
      const res = await editor.get('/newsroom/audience');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<strong>5<\/strong>active/);
      assert.match(res.body, /<strong>1<\/strong>bounced/);
      assert.equal((res.body.match(/<svg viewBox/g) ?? []).length, 3);
      assert.ok(res.body.includes('Week 47 &lt;b&gt;bold&lt;/b&gt;'));
      // recipients, delivered, failed, skipped, remaining, bounced, complaints, unsubscribed
      assert.match(
        res.body,
        /<td>7<\/td><td>5<\/td><td>1<\/td><td>1<\/td><td>0<\/td><td>1<\/td><td>0<\/td><td>1<\/td>/,
      );
      assert.doesNotMatch(res.body, /@example\.org/);
      assert.doesNotMatch(res.body, /webhooks\/newsletter\/bounces/, 'the webhook secret is for admins only');
    });

    test('admins see the bounce webhook address and can replace it', async () => {
      const admin = await signedIn(t.app, await makeStaff(t.app, 'admin'));
      const before = await bounceWebhookSecret(t.app.masthead.newsletter);
      const page = await admin.get('/newsroom/audience');
      assert.ok(page.body.includes(`/webhooks/newsletter/bounces/${before}`));
      const res = await admin.post('/newsroom/audience/bounce-webhook/rotate', {});
      assert.equal(res.statusCode, 303);
      const after = await bounceWebhookSecret(t.app.masthead.newsletter);
      assert.notEqual(after, before);
      const audit = await t.testDb.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'newsletter.bounce_webhook_rotated')
        .execute();
      assert.equal(audit.length, 1);
    });

    test('authors and contributors are refused', async () => {
      for (const role of ['author', 'contributor'] as const) {
        const b = await signedIn(t.app, await makeStaff(t.app, role));
        assert.equal((await b.get('/newsroom/audience')).statusCode, 403);
      }
    });
  });
}
