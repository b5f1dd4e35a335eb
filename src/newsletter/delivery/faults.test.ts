import assert from 'node:assert/strict';
import { test } from 'node:test';
import vm from 'node:vm';
import v8 from 'node:v8';
import { deliveryProgress, startSending } from '#newsletter';
import { createTestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { addRenderedEdition, addSubscribers } from '#test/delivery.ts';
import { startFaultySmtp, type Fault } from '#test/faulty-smtp.ts';
import { until } from '#test/newsletter.ts';

const FROM = 'The Meridian Dispatch <news@meridian.example>';

async function waitSent(deps: Parameters<typeof deliveryProgress>[0], id: number, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const p = await deliveryProgress(deps, id);
    if (p.status === 'sent') return p;
    if (Date.now() > end) throw new Error(`edition not sent in time: ${JSON.stringify(p)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const dialect of dialects) {
  test(
    `SMTP faults: 4xx retried then delivered, 5xx failed and suppressed at once, dropped connections retried, retries bounded (${dialect})`,
    { timeout: 120_000 },
    async () => {
      const faults = new Map<string, Fault>([
        ['r0@example.net', { kind: 'tempfail', times: 2 }],
        ['r1@example.net', { kind: 'tempfail', times: 1 }],
        ['r2@example.net', { kind: 'tempfail', times: 99 }],
        ['r3@example.net', { kind: 'reject' }],
        ['r4@example.net', { kind: 'reject' }],
        ['r5@example.net', { kind: 'drop-after-data', times: 1 }],
      ]);
      // Slow too: every message waits 20 ms for its answer.
      const smtp = await startFaultySmtp({ faults, delayMs: 20 });
      const t = await createTestApp(dialect, {
        env: {
          SMTP_URL: smtp.url,
          MAIL_FROM: FROM,
          NEWSLETTER_RETRY_BASE_MS: '40',
          NEWSLETTER_MAX_ATTEMPTS: '3',
          NEWSLETTER_BATCH_SIZE: '8',
          NEWSLETTER_SMTP_CONNECTIONS: '3',
        },
      });
      try {
        const deps = t.app.masthead.newsletter;
        const db = t.testDb.db;
        const ids = await addSubscribers(db, 40, { prefix: 'r' });
        // An address that could never have passed signup (say, from an old import) with a line break in it.
        const [evil] = await addSubscribers(db, 1, { prefix: 'evil' });
        await db.kysely
          .updateTable('subscribers')
          .set({ email: 'evil@example.net\r\nBcc: victim@example.org' })
          .where('id', '=', evil ?? 0)
          .execute();
        const id = await addRenderedEdition(db);
        await startSending(deps, id);
        t.app.masthead.startWorker();
        const p = await waitSent(deps, id);

        assert.deepEqual(p, { status: 'sent', total: 41, sent: 37, failed: 4, skipped: 0, remaining: 0 });
        // The bad address is refused before anything is written: no header injection, no copy.
        const bad = await db.kysely
          .selectFrom('deliveries')
          .select(['status', 'last_error'])
          .where('subscriber_id', '=', evil ?? 0)
          .executeTakeFirstOrThrow();
        assert.deepEqual(bad, { status: 'failed', last_error: 'not a valid address' });
        assert.ok(!smtp.accepted.some((m) => m.to.includes('victim') || m.to.startsWith('evil')));
        assert.ok(
          ![...smtp.tries.keys()].some((to) => to.includes('victim') || to.startsWith('evil')),
          'never even offered to the server',
        );
        const row = async (n: number) =>
          db.kysely
            .selectFrom('deliveries')
            .select(['status', 'attempts', 'last_error'])
            .where('edition_id', '=', id)
            .where('subscriber_id', '=', ids[n] ?? 0)
            .executeTakeFirstOrThrow();
        const status = async (n: number) =>
          (
            await db.kysely
              .selectFrom('subscribers')
              .select('status')
              .where('id', '=', ids[n] ?? 0)
              .executeTakeFirstOrThrow()
          ).status;
        const copies = (to: string) => smtp.accepted.filter((m) => m.to === to).length;

        // 4xx: tried again after a delay, delivered once.
        assert.deepEqual(await row(0), { status: 'sent', attempts: 3, last_error: null });
        assert.equal(smtp.tries.get('r0@example.net'), 3);
        assert.equal(copies('r0@example.net'), 1);
        assert.equal((await row(1)).attempts, 2);
        // 4xx for ever: given up after NEWSLETTER_MAX_ATTEMPTS, not suppressed (it may be the server's fault).
        const gaveUp = await row(2);
        assert.equal(gaveUp.status, 'failed');
        assert.equal(gaveUp.attempts, 3);
        assert.equal(smtp.tries.get('r2@example.net'), 3, 'retries are bounded');
        assert.match(gaveUp.last_error ?? '', /gave up after 3 attempts/);
        assert.equal(await status(2), 'active');
        // 5xx: failed at once, never retried, the subscriber suppressed with a recorded bounce.
        for (const n of [3, 4]) {
          const r = await row(n);
          assert.equal(r.status, 'failed');
          assert.equal(r.attempts, 1);
          assert.equal(smtp.tries.get(`r${n}@example.net`), 1, 'a 5xx is never retried');
          assert.equal(await status(n), 'bounced');
          assert.ok(!(r.last_error ?? '').includes('@'), 'errors hold no address');
          const ev = await db.kysely
            .selectFrom('subscriber_events')
            .select(['kind', 'edition_id', 'detail'])
            .where('subscriber_id', '=', ids[n] ?? 0)
            .executeTakeFirstOrThrow();
          assert.equal(ev.kind, 'bounced');
          assert.equal(ev.edition_id, id);
          assert.match(ev.detail, /^smtp: .*550/);
        }
        // Connection closed after DATA without an answer: sent again, with the same Message-ID.
        assert.deepEqual(await row(5), { status: 'sent', attempts: 2, last_error: null });
        assert.equal(copies('r5@example.net'), 1);
        // Everyone else exactly once.
        for (let n = 6; n < 40; n++) assert.equal(copies(`r${n}@example.net`), 1, `r${n} once`);
        const rows = await db.kysely
          .selectFrom('deliveries')
          .select(['subscriber_id', 'message_id'])
          .where('edition_id', '=', id)
          .execute();
        const email = new Map(ids.map((sid, n) => [sid, `r${n}@example.net`]));
        for (const m of smtp.accepted)
          assert.equal(m.messageId, rows.find((r) => email.get(r.subscriber_id ?? 0) === m.to)?.message_id);
      } finally {
        await t.close();
        await smtp.close();
      }
    },
  );

  test(
    `a 2,000-recipient send to a slow server completes with flat memory (${dialect})`,
    { timeout: 180_000 },
    async (ctx) => {
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as () => void;
      const smtp = await startFaultySmtp({ delayMs: 5, keep: false });
      // A big body, so holding every message at once would show.
      const html = `<html><body>${'<p>Long story paragraph with words. </p>'.repeat(1500)}<a href="{{unsubscribe_url}}">Unsubscribe</a></body></html>`;
      const t = await createTestApp(dialect, {
        env: { SMTP_URL: smtp.url, MAIL_FROM: FROM, NEWSLETTER_BATCH_SIZE: '100', NEWSLETTER_SMTP_CONNECTIONS: '6' },
      });
      try {
        const deps = t.app.masthead.newsletter;
        const db = t.testDb.db;
        await addSubscribers(db, 2000);
        const id = await addRenderedEdition(db, { html, text: 'Text {{unsubscribe_url}}' });
        gc();
        const before = process.memoryUsage().heapUsed;
        let peak = before;
        // What the send holds, not garbage waiting for a collection: sample after a full GC.
        const sampler = setInterval(() => {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }, 200);
        await startSending(deps, id);
        t.app.masthead.startWorker();
        const p = await waitSent(deps, id, 150_000);
        clearInterval(sampler);
        assert.equal(p.sent, 2000);
        await until(async () => smtp.acceptedCount >= 2000, 'the server to answer every message');
        assert.equal(smtp.acceptedCount, 2000);
        gc();
        const after = process.memoryUsage().heapUsed;
        // 2,000 bodies of ~60 KB would be ~120 MB; batches of 100 stay far below that.
        const mb = (n: number) => Math.round(n / 1e6);
        ctx.diagnostic(
          `live heap: +${mb(peak - before)} MB at most during the send, ${mb(after - before)} MB after it`,
        );
        assert.ok(peak - before < 60e6, `live heap grew ${mb(peak - before)} MB during the send`);
        assert.ok(after - before < 20e6, `heap grew ${mb(after - before)} MB after the send`);
      } finally {
        await t.close();
        await smtp.close();
      }
    },
  );
}
