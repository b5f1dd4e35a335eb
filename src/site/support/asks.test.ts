// The asks on cached pages, strict amounts, rate limits, "Remind me later", self-service and erasure, on every dialect.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixedClock } from '#lib/clock.ts';
import { handle, JobRunner } from '#jobs';
import {
  FORGET_CUSTOMER_JOB,
  forgetCustomer,
  getAppealSettings,
  saveAppealSettings,
  sendReminder,
  LIMITS,
  TestProvider,
} from '#support';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';
import { mailTo, ORIGIN, postForm, until } from '#test/newsletter.ts';
import { postCheckout, supportCounts } from '#test/donations.ts';

const START = '2026-11-27T08:00:00Z';

async function withApp(
  dialect: (typeof dialects)[number],
  fn: (t: TestApp, clock: ReturnType<typeof fixedClock>) => Promise<void>,
) {
  const clock = fixedClock(START);
  const t = await createTestApp(dialect, { clock });
  try {
    await fn(t, clock);
  } finally {
    await t.close();
  }
}

const get = (t: TestApp, url: string, cookie?: string) =>
  t.app.inject({ url, ...(cookie ? { headers: { cookie } } : {}) });

for (const dialect of dialects) {
  describe(`support asks on ${dialect}`, () => {
    test('article pages carry the banner and the appeal, periods on every amount; cookies pick cached variants', async () => {
      await withApp(dialect, async (t) => {
        const a = await makeArticle(t.app.masthead.articles, { withImage: false });
        const url = `/articles/${a.slug}`;
        const page = await get(t, url);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /class="support-banner"><a href="\/support">Support /);
        assert.match(page.body, /<aside class="appeal"/);
        assert.match(page.body, /\$5\/month/);
        assert.match(page.body, /\$60\/year/);
        assert.match(page.body, /\$25<\/label>/);
        assert.match(page.body, /give monthly/);
        assert.match(page.body, /Remind me later/);
        assert.match(page.body, /src="\/support\/icons\/card\.svg"/);
        assert.match(page.body, /TEST MODE — no money moves/);
        assert.doesNotMatch(page.body, /<script(?! type="application\/ld\+json")/);
        assert.equal(page.headers['set-cookie'], undefined);
        assert.match(String(page.headers['cache-control']), /^public/);
        const icon = await get(t, '/support/icons/card.svg');
        assert.equal(icon.headers['content-type'], 'image/svg+xml');

        // After giving: no banner, no appeal, and not for shared caches.
        const given = await get(t, url, 'mh_support=given');
        assert.doesNotMatch(given.body, /support-banner|<aside class="appeal"/);
        assert.match(String(given.headers['cache-control']), /^private/);
        // Snoozed: the banner stays, the appeal goes.
        const snoozed = await get(t, url, 'mh_support=snooze.20261215');
        assert.match(snoozed.body, /support-banner/);
        assert.doesNotMatch(snoozed.body, /<aside class="appeal"/);
        // An expired snooze asks again.
        assert.match((await get(t, url, 'mh_support=snooze.20261101')).body, /<aside class="appeal"/);
        // The counter: the pixel counts, and the fifth appeal in 30 days is the last.
        assert.match(page.body, new RegExp(`src="/support/seen\\.svg\\?a=${a.id}"`));
        const px = await get(t, `/support/seen.svg?a=${a.id}`);
        assert.match(String(px.headers['set-cookie']), new RegExp(`mh_support=seen\\.1\\.20261127\\.${a.id};`));
        assert.equal(px.headers['cache-control'], 'no-store');
        const px2 = await get(t, `/support/seen.svg?a=${a.id}`, 'mh_support=seen.4.20261120');
        assert.match(String(px2.headers['set-cookie']), new RegExp(`mh_support=seen\\.5\\.20261120\\.${a.id};`));
        assert.doesNotMatch((await get(t, url, 'mh_support=seen.5.20261120')).body, /<aside class="appeal"/);
        assert.match((await get(t, url, 'mh_support=seen.4.20261120')).body, /<aside class="appeal"/);
        // Past 30 days the window starts again.
        assert.match((await get(t, url, 'mh_support=seen.9.20261001')).body, /<aside class="appeal"/);
        // The thank-you page sets the "given" cookie.
        assert.match(
          String((await get(t, '/support/thanks')).headers['set-cookie']),
          /mh_support=given; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax/,
        );
        // Other readers still get the default page from the cache.
        assert.match((await get(t, url)).body, /<aside class="appeal"/);
      });
    });

    test('returning to the same appeal, as after failed checkouts, does not count again (ADR 025)', async () => {
      await withApp(dialect, async (t) => {
        const a = await makeArticle(t.app.masthead.articles, { withImage: false });
        const b = await makeArticle(t.app.masthead.articles, { withImage: false });
        const url = `/articles/${a.slug}`;
        // Five tries from the appeal under one article: each one brings the reader back to it.
        let cookie = '';
        for (let i = 0; i < 5; i++) {
          const res = await postCheckout(t.app, {
            frequency: 'once',
            currency: 'USD',
            amount_once: 'other',
            other_amount: '0.10',
          });
          assert.equal(res.statusCode, 400);
          assert.doesNotMatch(String(res.headers['set-cookie'] ?? ''), /mh_support/);
          const px = await get(t, `/support/seen.svg?a=${a.id}`, cookie || undefined);
          const set = /mh_support=([^;]+)/.exec(String(px.headers['set-cookie'] ?? ''));
          if (set?.[1]) cookie = `mh_support=${set[1]}`;
        }
        assert.equal(cookie, `mh_support=seen.1.20261127.${a.id}`);
        assert.match((await get(t, url, cookie)).body, /<aside class="appeal"/);
        // Another article's appeal is another appeal shown.
        const px = await get(t, `/support/seen.svg?a=${b.id}`, cookie);
        assert.match(String(px.headers['set-cookie']), new RegExp(`mh_support=seen\\.2\\.20261127\\.${b.id};`));
        // A counter written before ADR 025 (no article) still reads and counts on.
        const old = await get(t, `/support/seen.svg?a=${a.id}`, 'mh_support=seen.3.20261120');
        assert.match(String(old.headers['set-cookie']), new RegExp(`mh_support=seen\\.4\\.20261120\\.${a.id};`));
        assert.doesNotMatch((await get(t, url, 'mh_support=seen.5.20261120.7')).body, /<aside class="appeal"/);
      });
    });

    test('editors exclude pages and change copy; the cached pages follow', async () => {
      await withApp(dialect, async (t) => {
        const a = await makeArticle(t.app.masthead.articles, { withImage: false });
        const url = `/articles/${a.slug}`;
        assert.match((await get(t, url)).body, /<aside class="appeal"/);
        const deps = { db: t.app.masthead.db, clock: t.app.masthead.clock, publicationName: async () => 'X' };
        const s = await getAppealSettings(deps);
        await saveAppealSettings(deps, { ...s, excludedPaths: [url], title: 'Keep us going' });
        t.app.masthead.changeFeed.publish();
        await until(
          async () => !(await get(t, url)).body.includes('class="appeal"'),
          'the excluded page without appeal',
        );
        assert.doesNotMatch((await get(t, url)).body, /support-banner/);
        assert.match((await get(t, '/support')).body, /Support /);
        await assert.rejects(
          saveAppealSettings(deps, { ...s, limits: { ...s.limits, month: { min: 500, max: 100 } } }),
          { code: 'SUPPORT_SETTINGS_INVALID' },
        );
      });
    });

    test('bad amounts, currencies and frequencies re-render the form with a message and create nothing', async () => {
      await withApp(dialect, async (t) => {
        const before = await supportCounts(t.app);
        const cases: [Record<string, string>, string, RegExp][] = [
          [
            { frequency: 'month', currency: 'USD', amount_month: 'other', other_amount: '1.50' },
            'below the monthly minimum',
            /smallest amount is \$2\/month/,
          ],
          [
            { frequency: 'once', currency: 'USD', amount_once: 'other', other_amount: '0.50' },
            'below the one-time minimum',
            /smallest amount is \$1/,
          ],
          [
            { frequency: 'year', currency: 'USD', amount_year: 'other', other_amount: '9' },
            'below the annual minimum',
            /smallest amount is \$10\/year/,
          ],
          [
            { frequency: 'month', currency: 'USD', amount_month: 'other', other_amount: '1000.01' },
            'above the maximum',
            /largest amount/,
          ],
          [
            { frequency: 'once', currency: 'USD', amount_once: 'other', other_amount: 'ten' },
            'non-numeric',
            /as a number/,
          ],
          [
            { frequency: 'once', currency: 'USD', amount_once: 'other', other_amount: '-5' },
            'negative',
            /cannot be negative/,
          ],
          [
            { frequency: 'once', currency: 'USD', amount_once: 'other', other_amount: '5.001' },
            'a fraction of a cent',
            /fractions of a cent/,
          ],
          [
            { frequency: 'once', currency: 'USD', amount_once: 'other', other_amount: '1e3' },
            'an exponent',
            /as a number/,
          ],
          [{ frequency: 'once', currency: 'USD', amount_once: '-500' }, 'a negative suggestion', /Choose an amount/],
          [
            { frequency: 'once', currency: 'JPY', amount_once: '500' },
            'an unknown currency',
            /Choose one of: USD, EUR, GBP/,
          ],
          [
            { frequency: 'weekly', currency: 'USD', amount_once: '500' },
            'an unknown frequency',
            /Choose once, monthly or annual/,
          ],
          [{ currency: 'USD' }, 'no frequency', /Choose once, monthly or annual/],
        ];
        for (const [form, what, message] of cases) {
          const res = await postCheckout(t.app, form, { ip: `192.0.2.${cases.findIndex((c) => c[0] === form) + 1}` });
          assert.equal(res.statusCode, 400, what);
          assert.match(res.body, message, what);
          assert.match(res.body, /class="field-error" role="alert"/, what);
          assert.equal(res.headers['cache-control'], 'no-store');
        }
        assert.deepEqual(await supportCounts(t.app), before);
        const testObjects = await t.testDb.db.kysely.selectFrom('support_test_objects').select('id').execute();
        assert.equal(testObjects.length, 0);
        // Accepted: "5" and "5.50" and "1,000.00".
        for (const other of ['5', '5.50', '1,000.00']) {
          assert.equal(
            (
              await postCheckout(
                t.app,
                { frequency: 'once', currency: 'USD', amount_once: 'other', other_amount: other },
                { ip: '192.0.2.99' },
              )
            ).statusCode,
            303,
            other,
          );
        }
        const amounts = (
          await t.testDb.db.kysely.selectFrom('checkout_attempts').select('amount').orderBy('id').execute()
        ).map((r) => r.amount);
        assert.deepEqual(amounts, [500, 550, 100000]);
      });
    });

    test('foreign origins are refused; checkouts are limited per network with a friendly 429', async () => {
      await withApp(dialect, async (t, clock) => {
        const form = { frequency: 'month', currency: 'USD', amount_month: '500' };
        const foreign = await postCheckout(t.app, form, { origin: 'https://evil.example' });
        assert.equal(foreign.statusCode, 403);
        for (let i = 0; i < LIMITS.checkoutPerNetwork.count; i++)
          assert.equal((await postCheckout(t.app, form, { ip: '198.51.100.20' })).statusCode, 303);
        const limited = await postCheckout(t.app, form, { ip: '198.51.100.20' });
        assert.equal(limited.statusCode, 429);
        assert.equal(limited.headers['retry-after'], '3600');
        assert.match(limited.body, /Please wait/);
        assert.equal((await postCheckout(t.app, form, { ip: '198.51.100.21' })).statusCode, 303);
        // The throttle table holds no address.
        const keys = await t.testDb.db.kysely.selectFrom('support_throttle').select('key').execute();
        assert.ok(keys.every((k) => !k.key.includes('198.51')));
        // One sweep waits for the next full hour; a day later it removes the old windows.
        const sweeps = await t.testDb.db.kysely
          .selectFrom('jobs')
          .selectAll()
          .where('type', '=', 'support.cleanup')
          .execute();
        assert.equal(sweeps.length, 1);
        assert.equal(sweeps[0]?.run_at, '2026-11-27T09:00:00.000Z');
        clock.advance(25 * 3_600_000);
        await t.testDb.db.kysely
          .updateTable('jobs')
          .set({ run_at: '2026-11-28T09:00:00.000Z' })
          .where('type', '=', 'support.cleanup')
          .execute();
        t.app.masthead.startWorker();
        await until(
          async () => (await t.testDb.db.kysely.selectFrom('support_throttle').select('key').execute()).length === 0,
          'old throttle windows swept',
        );
      });
    });

    test('Remind me later: a 30-day snooze cookie, or one email in the chosen month, then the address is gone', async () => {
      await withApp(dialect, async (t, clock) => {
        const snooze = await postForm(t.app, '/support/remind/snooze');
        assert.equal(snooze.statusCode, 303);
        assert.match(String(snooze.headers['set-cookie']), /mh_support=snooze\.20261227/);
        const bad = await postForm(t.app, '/support/remind', { email: 'reader@example.org', month: '2026-10' });
        assert.equal(bad.statusCode, 400);
        const ok = await postForm(t.app, '/support/remind', { email: 'Reader@Example.org', month: '2027-02' });
        assert.equal(ok.statusCode, 303);
        const k = t.testDb.db.kysely;
        const row = await k.selectFrom('support_reminders').selectAll().executeTakeFirstOrThrow();
        assert.deepEqual([row.email, row.month], ['reader@example.org', '2027-02']);
        const job = await k
          .selectFrom('jobs')
          .selectAll()
          .where('type', '=', 'support.reminder')
          .executeTakeFirstOrThrow();
        assert.equal(job.run_at, '2027-02-01T09:00:00.000Z');
        clock.set('2027-02-01T09:00:01Z');
        t.app.masthead.startWorker();
        const mail = await mailTo(t.app, 'reader@example.org');
        assert.equal(mail.category, 'support.reminder');
        await until(
          async () => (await k.selectFrom('support_reminders').selectAll().execute()).length === 0,
          'the reminder deleted',
        );
        // Running the job again sends nothing.
        await sendReminder(t.app.masthead.support, row.id);
        await new Promise((r) => setTimeout(r, 100));
        const remindersSent = await k.selectFrom('jobs').select('payload').where('type', '=', 'mail.send').execute();
        assert.equal(remindersSent.filter((j) => JSON.stringify(j.payload).includes('support.reminder')).length, 1);
      });
    });

    test('Manage my support: same answer for unknown addresses, single-use link, cancel confirmed by email, erasure keeps anonymous rows', async () => {
      await withApp(dialect, async (t) => {
        t.app.masthead.startWorker();
        // A monthly supporter through the test provider.
        const res = await postCheckout(t.app, { frequency: 'month', currency: 'USD', amount_month: '500' });
        const paid = await postForm(t.app, String(res.headers.location), { email: 'fan@example.org' });
        assert.equal(paid.statusCode, 303);
        const k = t.testDb.db.kysely;
        await until(() => k.selectFrom('payments').selectAll().executeTakeFirst(), 'the payment');
        await mailTo(t.app, 'fan@example.org');

        const unknown = await postForm(t.app, '/support/manage', { email: 'nobody@example.org' });
        const known = await postForm(t.app, '/support/manage', { email: 'fan@example.org' });
        assert.equal(unknown.statusCode, 303);
        assert.equal(known.statusCode, 303);
        assert.equal(unknown.headers.location, known.headers.location);
        assert.equal(unknown.body, known.body);
        const linkMail = await mailTo(t.app, 'fan@example.org', 2);
        assert.equal(linkMail.category, 'support.manage-link');
        const path = /https?:\/\/[^/\s]+(\/support\/manage\/[A-Za-z0-9_-]{43})/.exec(linkMail.text)?.[1];
        assert.ok(path);
        // A GET (a mail scanner) only shows a button.
        const landing = await t.app.inject(path);
        assert.equal(landing.statusCode, 200);
        assert.match(landing.body, /Open my support page/);
        const open = await postForm(t.app, path);
        assert.equal(open.statusCode, 303);
        const cookie = String(open.headers['set-cookie']).split(';')[0]!;
        assert.match(
          String(open.headers['set-cookie']),
          /Path=\/support\/manage; Max-Age=1800; HttpOnly; SameSite=Strict/,
        );
        assert.equal((await postForm(t.app, path)).statusCode, 400); // single use
        const account = await t.app.inject({ url: '/support/manage/account', headers: { cookie } });
        assert.equal(account.statusCode, 200);
        assert.match(account.body, /\$5\/month/);
        assert.match(account.body, /Active/);
        const planId = /\/support\/manage\/plan\/([0-9]+)\/cancel/.exec(account.body)?.[1];
        assert.ok(planId);
        // The card: in test mode our own page, labelled.
        const pm = await t.app.inject({
          method: 'POST',
          url: `/support/manage/plan/${planId}/payment-method`,
          headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
          payload: '',
        });
        assert.equal(pm.statusCode, 303);
        assert.match(String(pm.headers.location), /^\/support\/test-payment-method\?customer=cus_test_/);
        const pmPage = await t.app.inject(String(pm.headers.location));
        assert.match(pmPage.body, /TEST MODE — no money moves/);
        assert.match(pmPage.body, /href="https:\/\/news\.example\.test\/support\/manage\/account"/);
        // The annual statement arrives by email.
        const statement = await t.app.inject({
          method: 'POST',
          url: '/support/manage/statement',
          headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'year=2026',
        });
        assert.equal(statement.statusCode, 303);
        const st = await mailTo(t.app, 'fan@example.org', 3);
        assert.equal(st.category, 'support.statement');
        assert.match(st.text, /Total USD: \$5/);
        // Change the amount: too little is refused on the page, a valid change is confirmed by email.
        const post = (url: string, form: Record<string, string>) =>
          t.app.inject({
            method: 'POST',
            url,
            headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams(form).toString(),
          });
        const tooSmall = await post(`/support/manage/plan/${planId}/change`, { amount: '1', frequency: 'month' });
        assert.equal(tooSmall.statusCode, 400);
        assert.match(tooSmall.body, /smallest amount is \$2\/month/);
        const changed = await post(`/support/manage/plan/${planId}/change`, { amount: '7', frequency: 'month' });
        assert.equal(changed.statusCode, 303);
        assert.match((await t.app.inject({ url: '/support/manage/account', headers: { cookie } })).body, /\$7\/month/);
        const changeMail = await mailTo(t.app, 'fan@example.org', 4);
        assert.equal(changeMail.category, 'support.change');
        assert.match(changeMail.text, /now \$7\/month/);
        assert.match(changeMail.subject, /was changed$/);
        // Erasure is refused while the plan recurs.
        const early = await t.app.inject({
          method: 'POST',
          url: '/support/manage/erase',
          headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
          payload: '',
        });
        assert.equal(early.statusCode, 403);
        const cancel = await t.app.inject({
          method: 'POST',
          url: `/support/manage/plan/${planId}/cancel`,
          headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
          payload: '',
        });
        assert.equal(cancel.statusCode, 303);
        const after = await t.app.inject({ url: '/support/manage/account?done=cancelled', headers: { cookie } });
        assert.match(after.body, /Cancelled/);
        const cancelMail = await mailTo(t.app, 'fan@example.org', 5);
        assert.match(cancelMail.text, /cancelled/);
        assert.match(cancelMail.subject, /was cancelled$/);
        const erase = await t.app.inject({
          method: 'POST',
          url: '/support/manage/erase',
          headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
          payload: '',
        });
        assert.equal(
          erase.statusCode,
          200,
          erase.body.slice(erase.body.indexOf('<main'), erase.body.indexOf('</main>')),
        );
        const s = await k.selectFrom('supporters').selectAll().executeTakeFirstOrThrow();
        assert.equal(s.email, null);
        assert.ok(s.erased_at);
        // The test provider forgets its customer too, through the same job as Stripe's.
        const provider = t.app.masthead.support.provider;
        assert.ok(provider instanceof TestProvider && s.provider_customer_id);
        assert.equal(await provider.customerEmail(s.provider_customer_id), 'fan@example.org');
        const forget = new JobRunner({
          db: t.testDb.db,
          clock: t.app.masthead.clock,
          handlers: [handle(FORGET_CUSTOMER_JOB, (p) => forgetCustomer(t.app.masthead.support, p))],
          pollMs: 20,
        });
        forget.start();
        await until(
          async () => (await provider.customerEmail(s.provider_customer_id!)) === null,
          'the test customer forgotten',
        );
        await forget.stop();
        assert.equal((await supportCounts(t.app)).support_tokens, 0);
        assert.equal((await supportCounts(t.app)).payments, 1);
        // Without a session nothing works.
        assert.equal((await t.app.inject({ url: '/support/manage/account', headers: { cookie } })).statusCode, 401);
      });
    });
  });
}
