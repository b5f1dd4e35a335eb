import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '#lib/errors.ts';
import { deliveryProgress, listUnsubscribeHeaders, pauseSending, resumeSending, startSending } from '#newsletter';
import { createTestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { addRenderedEdition, addSubscribers } from '#test/delivery.ts';
import { until } from '#test/newsletter.ts';
import { startSmtpSink } from '#test/smtp-sink.ts';

/** A header of a raw message, unfolded; undefined when absent. */
export function rawHeader(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  const m = new RegExp(`^${name}:[ \t]*(.*(?:\r\n[ \t].*)*)`, 'im').exec(head);
  return m?.[1]?.replace(/\r\n[ \t]+/g, ' ').trim();
}

const FROM = 'The Meridian Dispatch <news@meridian.example>';

for (const dialect of dialects) {
  test(`startSending fixes the audience once, with a Message-ID per row (${dialect})`, async () => {
    const t = await createTestApp(dialect);
    try {
      const deps = t.app.masthead.newsletter;
      const db = t.testDb.db;
      const active = await addSubscribers(db, 5, { prefix: 'a' });
      await addSubscribers(db, 2, { status: 'pending', prefix: 'p' });
      await addSubscribers(db, 2, { status: 'unsubscribed', prefix: 'u' });
      await addSubscribers(db, 1, { status: 'bounced', prefix: 'b' });
      await addSubscribers(db, 1, { status: 'complained', prefix: 'c' });
      const id = await addRenderedEdition(db);

      assert.deepEqual(await startSending(deps, id), { recipients: 5 });
      const rows = await db.kysely
        .selectFrom('deliveries')
        .selectAll()
        .where('edition_id', '=', id)
        .orderBy('subscriber_id')
        .execute();
      assert.deepEqual(
        rows.map((r) => r.subscriber_id),
        active,
      );
      assert.ok(rows.every((r) => r.status === 'queued' && r.attempts === 0));
      assert.equal(new Set(rows.map((r) => r.message_id)).size, 5);
      for (const r of rows) assert.match(r.message_id, /^<n\d+\.\d+\.[A-Za-z0-9]+@masthead\.invalid>$/);
      const e = await db.kysely.selectFrom('editions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(e.status, 'sending');
      assert.equal(e.recipient_count, 5);
      assert.ok(e.audience_fixed_at && e.started_at);
      const job = await db.kysely
        .selectFrom('jobs')
        .select(['type', 'status'])
        .where('unique_key', '=', `newsletter.deliver:${id}:0`)
        .executeTakeFirstOrThrow();
      assert.deepEqual(job, { type: 'newsletter.deliver', status: 'pending' });

      // A second start is refused, and nothing is added.
      await assert.rejects(
        startSending(deps, id),
        (err: unknown) => isAppError(err) && err.status === 409 && err.code === 'EDITION_NOT_SENDABLE',
      );
      assert.equal((await db.kysely.selectFrom('deliveries').select('id').execute()).length, 5);
      assert.deepEqual(await deliveryProgress(deps, id), {
        status: 'sending',
        total: 5,
        sent: 0,
        failed: 0,
        skipped: 0,
        remaining: 5,
      });
    } finally {
      await t.close();
    }
  });

  test(`startSending refuses unknown and unrendered editions with 4xx; an empty audience is sent at once (${dialect})`, async () => {
    const t = await createTestApp(dialect);
    try {
      const deps = t.app.masthead.newsletter;
      const db = t.testDb.db;
      await addSubscribers(db, 3);
      const is = (status: number, code: string) => (err: unknown) =>
        isAppError(err) && err.status === status && err.code === code;
      await assert.rejects(startSending(deps, 9999), is(404, 'EDITION_NOT_FOUND'));
      await assert.rejects(startSending(deps, -1), is(404, 'EDITION_NOT_FOUND'));
      await assert.rejects(startSending(deps, 1.5), is(404, 'EDITION_NOT_FOUND'));
      const bare = await addRenderedEdition(db, { html: null });
      await assert.rejects(startSending(deps, bare), is(422, 'EDITION_NOT_RENDERED'));
      const noText = await addRenderedEdition(db, { text: null });
      await assert.rejects(startSending(deps, noText), is(422, 'EDITION_NOT_RENDERED'));
      assert.equal((await db.kysely.selectFrom('deliveries').select('id').execute()).length, 0, 'nothing half-written');
      const bareRow = await db.kysely
        .selectFrom('editions')
        .select('status')
        .where('id', '=', bare)
        .executeTakeFirstOrThrow();
      assert.equal(bareRow.status, 'draft');
      await assert.rejects(pauseSending(deps, bare), is(409, 'EDITION_NOT_SENDING'));
      await assert.rejects(resumeSending(deps, bare), is(409, 'EDITION_NOT_PAUSED'));
      await assert.rejects(deliveryProgress(deps, 424242), is(404, 'EDITION_NOT_FOUND'));

      // Nobody active: the edition is sent at once, with nobody to send to.
      await db.kysely.updateTable('subscribers').set({ status: 'unsubscribed' }).execute();
      const empty = await addRenderedEdition(db, { status: 'scheduled' });
      assert.deepEqual(await startSending(deps, empty), { recipients: 0 });
      assert.deepEqual(await deliveryProgress(deps, empty), {
        status: 'sent',
        total: 0,
        sent: 0,
        failed: 0,
        skipped: 0,
        remaining: 0,
      });
    } finally {
      await t.close();
    }
  });

  test(
    `an edition reaches every active subscriber once, with their own links and list headers (${dialect})`,
    { timeout: 60_000 },
    async () => {
      const sink = await startSmtpSink();
      const t = await createTestApp(dialect, {
        env: { SMTP_URL: sink.url, MAIL_FROM: FROM, NEWSLETTER_BATCH_SIZE: '7' },
      });
      try {
        const deps = t.app.masthead.newsletter;
        const db = t.testDb.db;
        const active = await addSubscribers(db, 30, { prefix: 'a' });
        await addSubscribers(db, 3, { status: 'pending', prefix: 'p' });
        await addSubscribers(db, 3, { status: 'unsubscribed', prefix: 'u' });
        await addSubscribers(db, 3, { status: 'bounced', prefix: 'b' });
        const id = await addRenderedEdition(db, { subject: 'Friday: the week in brief' });
        await startSending(deps, id);
        t.app.masthead.startWorker();
        await until(async () => (await deliveryProgress(deps, id)).status === 'sent', 'the edition to be sent');

        assert.equal(sink.messages.length, 30, 'one message per active subscriber, nobody else');
        const rows = await db.kysely
          .selectFrom('deliveries')
          .select(['subscriber_id', 'message_id', 'status', 'sent_at'])
          .where('edition_id', '=', id)
          .execute();
        const byEmail = new Map<string, { id: number; messageId: string }>();
        for (const r of rows) {
          assert.equal(r.status, 'sent');
          assert.ok(r.sent_at);
          const s = await db.kysely
            .selectFrom('subscribers')
            .select('email')
            .where('id', '=', r.subscriber_id ?? 0)
            .executeTakeFirstOrThrow();
          byEmail.set(s.email, { id: r.subscriber_id ?? 0, messageId: r.message_id });
        }
        const seen = new Set<string>();
        for (const m of sink.messages) {
          const to = m.to[0] ?? '';
          assert.equal(m.to.length, 1);
          assert.ok(!seen.has(to), `one copy to ${to}`);
          seen.add(to);
          const row = byEmail.get(to);
          assert.ok(row, `${to} is in the audience`);
          assert.match(to, /^a\d+@example\.net$/);
          const p = m.parsed;
          assert.equal(p.subject, 'Friday: the week in brief');
          assert.equal(p.messageId, row.messageId, 'Message-ID from the delivery row');
          assert.equal(m.from, 'news@meridian.example');
          const expected = await listUnsubscribeHeaders(deps, { id: row.id });
          // mailparser takes List-* headers apart; compare the raw headers with the self-service ones.
          assert.equal(rawHeader(m.raw, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
          assert.equal(rawHeader(m.raw, 'List-Unsubscribe'), expected['List-Unsubscribe']);
          assert.equal(rawHeader(m.raw, 'List-Id'), '"Masthead" <newsletter.meridian.example>');
          const token = /\/newsletter\/unsubscribe\/([0-9]+\.[A-Za-z0-9_-]{32})/.exec(
            expected['List-Unsubscribe'] ?? '',
          )?.[1];
          assert.ok(token);
          assert.ok(
            p.text?.includes(`Unsubscribe: https://news.example.test/newsletter/unsubscribe/${token}`),
            'text link substituted',
          );
          assert.ok(p.text?.includes(`Manage: https://news.example.test/newsletter/manage/${token}`));
          assert.ok(
            typeof p.html === 'string' &&
              p.html.includes(`href="https://news.example.test/newsletter/unsubscribe/${token}"`),
            'html link substituted',
          );
          assert.ok(!m.raw.includes('{{'), 'no placeholder left');
        }
        assert.deepEqual(
          [...seen].sort(),
          (await db.kysely.selectFrom('subscribers').select('email').where('id', 'in', active).execute())
            .map((r) => r.email)
            .sort(),
        );
        const e = await db.kysely
          .selectFrom('editions')
          .select(['status', 'sent_at'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        assert.equal(e.status, 'sent');
        assert.ok(e.sent_at);
        assert.deepEqual(await deliveryProgress(deps, id), {
          status: 'sent',
          total: 30,
          sent: 30,
          failed: 0,
          skipped: 0,
          remaining: 0,
        });
      } finally {
        await t.close();
        await sink.close();
      }
    },
  );
}
