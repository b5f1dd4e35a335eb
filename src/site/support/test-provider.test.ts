// The demo flow with the built-in test provider, and the webhook endpoint's guarantees, on every dialect.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Stripe from 'stripe';
import { TestProvider } from '#support';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { mailTo, postForm, until } from '#test/newsletter.ts';
import { event, postCheckout, postEvent, supportCounts } from '#test/donations.ts';

async function withApp(dialect: (typeof dialects)[number], fn: (t: TestApp) => Promise<void>) {
  const t = await createTestApp(dialect);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

const provider = (t: TestApp) => {
  const p = t.app.masthead.support.provider;
  assert.ok(p instanceof TestProvider);
  return p;
};

/** Checkout → hosted-like page → pay; returns the thank-you location. */
async function give(t: TestApp, form: Record<string, string>, email: string): Promise<string> {
  const res = await postCheckout(t.app, form);
  assert.equal(res.statusCode, 303, res.body);
  const hosted = String(res.headers.location);
  assert.match(hosted, /^\/support\/test-checkout\/cs_test_/);
  const page = await t.app.inject(hosted);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /TEST MODE — no money moves/);
  const paid = await postForm(t.app, hosted, { email });
  assert.equal(paid.statusCode, 303);
  return String(paid.headers.location);
}

for (const dialect of dialects) {
  describe(`support with the test provider on ${dialect}`, () => {
    test('monthly $5: checkout → test page → thank-you → ledger row, active plan, one receipt', async () => {
      await withApp(dialect, async (t) => {
        t.app.masthead.startWorker();
        const thanks = await give(t, { frequency: 'month', currency: 'USD', amount_month: '500' }, 'Giver@Example.org');
        assert.match(thanks, /^https:\/\/news\.example\.test\/support\/thanks\?a=/);
        const k = t.testDb.db.kysely;
        const payment = await until(() => k.selectFrom('payments').selectAll().executeTakeFirst(), 'the payment row');
        assert.deepEqual(
          [payment.kind, payment.amount, payment.currency, payment.frequency],
          ['payment', 500, 'USD', 'month'],
        );
        const plan = await until(
          () => k.selectFrom('recurring_plans').selectAll().where('status', '=', 'active').executeTakeFirst(),
          'the plan',
        );
        assert.deepEqual([plan.amount, plan.currency, plan.frequency], [500, 'USD', 'month']);
        assert.ok(plan.next_renewal_at);
        const receipt = await mailTo(t.app, 'giver@example.org');
        assert.equal(receipt.category, 'support.receipt');
        assert.match(receipt.text, /\$5 USD/);
        assert.match(receipt.text, /monthly support/);
        assert.match(receipt.text, /\/support\/manage/);
        const page = await t.app.inject(new URL(thanks).pathname + new URL(thanks).search);
        assert.equal(page.statusCode, 200);
        assert.match(String(page.headers['set-cookie']), /mh_support=given/);
        assert.match(page.body, /\$5\/month/);
        // The attempt is completed by its own webhook event, which may land after the payment's.
        const attempt = await until(
          () => k.selectFrom('checkout_attempts').selectAll().where('status', '=', 'completed').executeTakeFirst(),
          'the completed checkout attempt',
        );
        assert.equal(attempt.status, 'completed');
        // Donor minimisation: the supporter row holds a provider id and an address, nothing else.
        const supporter = await k.selectFrom('supporters').selectAll().executeTakeFirstOrThrow();
        assert.deepEqual(Object.keys(supporter).sort(), [
          'created_at',
          'email',
          'erased_at',
          'id',
          'provider',
          'provider_customer_id',
        ]);
        assert.equal(supporter.email, 'giver@example.org');
      });
    });

    test('a double-submitted test checkout pays once', async () => {
      await withApp(dialect, async (t) => {
        const res = await postCheckout(t.app, { frequency: 'once', currency: 'USD', amount_once: '1000' });
        const hosted = String(res.headers.location);
        const paid = await Promise.all([
          postForm(t.app, hosted, { email: 'double@example.org' }),
          postForm(t.app, hosted, { email: 'double@example.org' }),
          postForm(t.app, hosted, { email: 'double@example.org' }),
        ]);
        for (const p of paid) assert.equal(p.statusCode, 303);
        const customers = await t.testDb.db.kysely
          .selectFrom('support_test_objects')
          .select('id')
          .where('kind', '=', 'customer')
          .execute();
        assert.equal(customers.length, 1);
        const events = await t.testDb.db.kysely
          .selectFrom('support_test_objects')
          .select('id')
          .where('kind', '=', 'event')
          .execute();
        assert.equal(events.length, 1);
      });
    });

    test('a one-time gift is one payment of frequency once and no plan', async () => {
      await withApp(dialect, async (t) => {
        t.app.masthead.startWorker();
        await give(
          t,
          { frequency: 'once', currency: 'EUR', amount_once: 'other', other_amount: '12.50' },
          'once@example.org',
        );
        const k = t.testDb.db.kysely;
        const payment = await until(() => k.selectFrom('payments').selectAll().executeTakeFirst(), 'the payment row');
        assert.deepEqual([payment.amount, payment.currency, payment.frequency], [1250, 'EUR', 'once']);
        assert.equal((await supportCounts(t.app)).recurring_plans, 0);
        assert.match((await mailTo(t.app, 'once@example.org')).text, /€12\.50 EUR/);
      });
    });

    test('forged, tampered, wrong-secret, old and unsigned webhooks are refused and change nothing', async () => {
      await withApp(dialect, async (t) => {
        const secret = await provider(t).webhookSecret();
        const now = Math.floor(Date.now() / 1000);
        const body = event(
          'evt_forge_1',
          'checkout.session.completed',
          {
            id: 'cs_x',
            mode: 'payment',
            payment_status: 'paid',
            customer: 'cus_x',
            amount_total: 999999,
            currency: 'usd',
            payment_intent: 'pi_x',
            customer_details: { email: 'thief@example.org' },
          },
          now,
        );
        const before = await supportCounts(t.app);
        const attempts = [
          await postEvent(t.app, body, 'whsec_wrong_secret_value'),
          await postEvent(t.app, body.replace('999999', '999998'), secret, {
            header: Stripe.webhooks.generateTestHeaderString({ payload: body, secret }),
          }),
          await postEvent(t.app, JSON.stringify(JSON.parse(body), null, 1), secret, {
            header: Stripe.webhooks.generateTestHeaderString({ payload: body, secret }),
          }),
          await postEvent(t.app, body, secret, { timestamp: now - 3600 }),
          await postEvent(t.app, body, secret, { timestamp: now + 3600 }),
          await t.app.inject({
            method: 'POST',
            url: '/support/webhook',
            payload: body,
            headers: { 'content-type': 'application/json' },
          }),
          await t.app.inject({
            method: 'POST',
            url: '/support/webhook',
            payload: body,
            headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
          }),
        ];
        for (const [i, r] of attempts.entries()) {
          assert.equal(r.statusCode, 400, `attempt ${i}`);
          assert.equal(JSON.parse(r.body).error, 'SUPPORT_SIGNATURE_INVALID');
        }
        assert.deepEqual(await supportCounts(t.app), before);
        // The untouched, correctly signed event is accepted once.
        const ok = await postEvent(t.app, body, secret);
        assert.equal(ok.statusCode, 200);
        assert.equal((await supportCounts(t.app)).payments, before.payments! + 1);
      });
    });

    test('200 random mutations of signed webhooks (byte flips, headers, secrets, timestamps) are all refused; the originals all pass', async () => {
      await withApp(dialect, async (t) => {
        const secret = await provider(t).webhookSecret();
        const now = Math.floor(Date.now() / 1000);
        let seed = 42;
        const rand = (n: number) => {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          return seed % n;
        };
        const originals = Array.from({ length: 20 }, (_, i) =>
          event(
            `evt_mut_${i}`,
            'checkout.session.completed',
            {
              id: `cs_m${i}`,
              mode: 'payment',
              payment_status: 'paid',
              customer: `cus_m${i}`,
              amount_total: 100 + i,
              currency: 'usd',
              payment_intent: `pi_m${i}`,
              customer_details: { email: `m${i}@example.org` },
            },
            now,
          ),
        );
        const before = await supportCounts(t.app);
        for (let k = 0; k < 200; k++) {
          const body = originals[k % originals.length]!;
          const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: now });
          let b = body;
          let h = header;
          switch (rand(6)) {
            case 0: {
              const at = rand(b.length);
              const c = b.charCodeAt(at);
              b = b.slice(0, at) + String.fromCharCode(c === 126 ? 33 : c + 1) + b.slice(at + 1);
              break;
            }
            case 1:
              b = ` ${b}`;
              break;
            case 2:
              h = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: `${secret}x`, timestamp: now });
              break;
            case 3:
              h = Stripe.webhooks.generateTestHeaderString({
                payload: body,
                secret,
                timestamp: now - 301 - rand(100_000),
              });
              break;
            case 4:
              h = header.replace(/v1=([0-9a-f])/, (_m, d: string) => `v1=${d === '0' ? '1' : '0'}`);
              break;
            default:
              h = header.replace(/,v1=.*/, '');
          }
          const r = await postEvent(t.app, b, secret, { header: h });
          assert.equal(r.statusCode, 400, `mutation ${k}`);
        }
        assert.deepEqual(await supportCounts(t.app), before);
        for (const body of originals) assert.equal((await postEvent(t.app, body, secret)).statusCode, 200);
        assert.equal((await supportCounts(t.app)).payments, before.payments! + originals.length);
      });
    });

    test('duplicates, sequential and concurrent, have one effect; unknown events are acknowledged and ignored', async () => {
      await withApp(dialect, async (t) => {
        const secret = await provider(t).webhookSecret();
        const body = event('evt_dup_1', 'checkout.session.completed', {
          id: 'cs_d',
          mode: 'payment',
          payment_status: 'paid',
          customer: 'cus_d',
          amount_total: 2500,
          currency: 'gbp',
          payment_intent: 'pi_d',
          customer_details: { email: 'dup@example.org' },
        });
        const results = await Promise.all(Array.from({ length: 6 }, () => postEvent(t.app, body, secret)));
        for (let i = 0; i < 3; i++) results.push(await postEvent(t.app, body, secret));
        for (const r of results) assert.equal(r.statusCode, 200, r.body);
        assert.equal(results.filter((r) => JSON.parse(r.body).result === 'applied').length, 1);
        const k = t.testDb.db.kysely;
        const rows = await k.selectFrom('payments').selectAll().execute();
        assert.equal(rows.length, 1);
        assert.equal(rows[0]?.amount, 2500);
        // One receipt queued, not nine.
        const mails = await k.selectFrom('jobs').select('payload').where('type', '=', 'mail.send').execute();
        assert.equal(mails.filter((m) => JSON.stringify(m.payload).includes('dup@example.org')).length, 1);

        const unknown = await postEvent(
          t.app,
          event('evt_unknown', 'customer.tax_id.created', { id: 'txi_1' }),
          secret,
        );
        assert.equal(unknown.statusCode, 200);
        assert.equal(JSON.parse(unknown.body).result, 'ignored');
      });
    });
  });
}
