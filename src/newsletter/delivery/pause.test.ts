import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '#lib/errors.ts';
import { findOutboxMessageByMessageId, listOutbox } from '#mail';
import {
  applyBounce,
  deliveryProgress,
  eraseSubscriber,
  pauseSending,
  resumeSending,
  startSending,
  subscriberToken,
  unsubscribeByToken,
} from '#newsletter';
import { createTestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { addRenderedEdition, addSubscribers } from '#test/delivery.ts';
import { startFaultySmtp } from '#test/faulty-smtp.ts';
import { until } from '#test/newsletter.ts';

const FROM = 'The Meridian Dispatch <news@meridian.example>';

for (const dialect of dialects) {
  test(
    `pause stops claiming, resume continues; people who left meanwhile are skipped (${dialect})`,
    { timeout: 120_000 },
    async () => {
      const smtp = await startFaultySmtp({ keep: false });
      // Rate-limited so the send is still going when it is paused.
      const t = await createTestApp(dialect, {
        env: {
          SMTP_URL: smtp.url,
          MAIL_FROM: FROM,
          NEWSLETTER_RATE_PER_SECOND: '100',
          NEWSLETTER_BATCH_SIZE: '10',
          NEWSLETTER_SEND_LANES: '2',
        },
      });
      try {
        const deps = t.app.masthead.newsletter;
        const db = t.testDb.db;
        await addSubscribers(db, 200);
        const id = await addRenderedEdition(db);
        await startSending(deps, id);
        t.app.masthead.startWorker();
        await until(async () => (await deliveryProgress(deps, id)).sent >= 20, 'some messages to go');
        await pauseSending(deps, id);
        await pauseSending(deps, id); // pausing twice is harmless
        // Batches already claimed finish; then the lanes end and nothing more is claimed.
        await until(async () => {
          const busy = await db.kysely
            .selectFrom('jobs')
            .select('id')
            .where('type', '=', 'newsletter.deliver')
            .where('status', 'in', ['pending', 'running'])
            .execute();
          const held = await db.kysely
            .selectFrom('deliveries')
            .select('id')
            .where('edition_id', '=', id)
            .where('status', '=', 'sending')
            .execute();
          return busy.length === 0 && held.length === 0;
        }, 'the lanes to stop');
        const paused = await deliveryProgress(deps, id);
        assert.equal(paused.status, 'paused');
        assert.ok(paused.remaining > 0, 'paused before the end');
        assert.equal(paused.sent, smtp.acceptedCount, 'every sent row is one message at the server, no more');

        // While paused: one reader unsubscribes, one erases themselves, one bounces elsewhere.
        const queued = await db.kysely
          .selectFrom('deliveries')
          .select('subscriber_id')
          .where('edition_id', '=', id)
          .where('status', '=', 'queued')
          .orderBy('id', 'desc')
          .limit(3)
          .execute();
        const [a, b, c] = queued.map((r) => r.subscriber_id ?? 0);
        assert.ok(a && b && c);
        const emails = await db.kysely.selectFrom('subscribers').select('email').where('id', 'in', [a, b, c]).execute();
        assert.ok(await unsubscribeByToken(deps, await subscriberToken(deps, { id: a })));
        await eraseSubscriber(deps, await subscriberToken(deps, { id: b }));
        await applyBounce(deps, c, { kind: 'hard', source: 'webhook:generic' });

        await resumeSending(deps, id);
        await until(async () => (await deliveryProgress(deps, id)).status === 'sent', 'the edition to be sent');
        assert.deepEqual(await deliveryProgress(deps, id), {
          status: 'sent',
          total: 200,
          sent: 197,
          failed: 0,
          skipped: 3,
          remaining: 0,
        });
        assert.equal(smtp.acceptedCount, 197);
        const to = smtp.accepted.map((m) => m.to);
        assert.equal(new Set(to).size, 197, 'nobody twice');
        for (const e of emails)
          assert.ok(!to.includes(e.email), 'a reader who left after the audience was fixed gets nothing');
        const erased = await db.kysely
          .selectFrom('deliveries')
          .select(['subscriber_id', 'status'])
          .where('edition_id', '=', id)
          .where('subscriber_id', 'is', null)
          .execute();
        assert.deepEqual(erased, [{ subscriber_id: null, status: 'skipped' }]);

        const conflict = (err: unknown) => isAppError(err) && err.status === 409;
        await assert.rejects(pauseSending(deps, id), conflict);
        await resumeSending(deps, id); // resuming a finished send changes nothing
        await assert.rejects(startSending(deps, id), conflict);
      } finally {
        await t.close();
        await smtp.close();
      }
    },
  );

  test(
    `without SMTP the edition lands in the outbox with the same headers (${dialect})`,
    { timeout: 60_000 },
    async () => {
      const t = await createTestApp(dialect);
      try {
        const deps = t.app.masthead.newsletter;
        const db = t.testDb.db;
        const ids = await addSubscribers(db, 4);
        await addSubscribers(db, 2, { status: 'pending', prefix: 'p' });
        const id = await addRenderedEdition(db, { subject: 'Outbox edition' });
        await startSending(deps, id);
        t.app.masthead.startWorker();
        await until(async () => (await deliveryProgress(deps, id)).status === 'sent', 'the edition to be sent');
        const page = await listOutbox(t.app.masthead.mail, { page: 1, perPage: 50, category: 'newsletter.edition' });
        assert.equal(page.total, 4);
        const rows = await db.kysely
          .selectFrom('deliveries')
          .select(['subscriber_id', 'message_id'])
          .where('edition_id', '=', id)
          .execute();
        for (const r of rows) {
          const m = await findOutboxMessageByMessageId(t.app.masthead.mail, r.message_id);
          assert.ok(m, 'stored under the delivery row Message-ID');
          assert.equal(m.subject, 'Outbox edition');
          const token = await subscriberToken(deps, { id: r.subscriber_id ?? 0 });
          assert.equal(
            m.headers['List-Unsubscribe'],
            `<https://news.example.test/newsletter/unsubscribe/${token}>, <mailto:unsubscribe+${token}@masthead.invalid>`,
          );
          assert.equal(m.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
          assert.equal(m.headers['List-Id'], '"Masthead" <newsletter.masthead.invalid>');
          assert.ok(m.text.includes(`/newsletter/manage/${token}`));
          assert.ok(m.html?.includes(`/newsletter/unsubscribe/${token}`));
        }
        assert.deepEqual(
          rows.map((r) => r.subscriber_id).sort((x, y) => (x ?? 0) - (y ?? 0)),
          ids,
        );
      } finally {
        await t.close();
      }
    },
  );
}
