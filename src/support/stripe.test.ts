// The Stripe provider through the real SDK against the offline stand-in, on every dialect:
// idempotent outbound calls, lifecycles replayed in random orders and duplicated, reconcile.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { handle, JobRunner } from '#jobs';
import { ORIGIN, until } from '#test/newsletter.ts';
import { StripeStandin, type StandinEvent } from '#test/stripe-standin.ts';
import { postCheckout } from '#test/donations.ts';
import { reconcile } from '#support';

const SECRET = 'whsec_standin_secret';

function post(app: FastifyInstance, e: StandinEvent) {
  const { payload, header } = StripeStandin.signed(e, SECRET);
  return app.inject({
    method: 'POST',
    url: '/support/webhook',
    payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
  });
}

/** A deterministic shuffle (mulberry32), so a failing order can be replayed from its seed. */
function shuffle<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

let ip = 0;
async function checkout(t: TestApp, standin: StripeStandin, form: Record<string, string>): Promise<string> {
  const res = await postCheckout(t.app, form, { ip: `203.0.113.${(ip++ % 250) + 1}` });
  assert.equal(res.statusCode, 303, res.body);
  const m = /\/c\/pay\/(cs_test_[a-f0-9]+)$/.exec(String(res.headers.location));
  assert.ok(m?.[1], String(res.headers.location));
  assert.ok(standin.objects.has(m[1]));
  return m[1];
}

/** A monthly supporter's whole story: pay, renew, refund, dispute won, cancelled at the dashboard. */
async function lifecycle(t: TestApp, standin: StripeStandin, email: string) {
  const session = await checkout(t, standin, { frequency: 'month', currency: 'USD', amount_month: '500' });
  const events = standin.pay(session, email);
  const sub = String(standin.objects.get(session)!.subscription);
  const firstPi = String(
    (events[2]!.data.object.payments as { data: { payment: { payment_intent: string } }[] }).data[0]!.payment
      .payment_intent,
  );
  events.push(...standin.renew(sub, email));
  events.push(standin.refund(firstPi, 200));
  const renewalPi = String(
    (events[3]!.data.object.payments as { data: { payment: { payment_intent: string } }[] }).data[0]!.payment
      .payment_intent,
  );
  const dispute = standin.dispute(renewalPi, 500, 'usd');
  events.push(dispute, standin.closeDispute(String(dispute.data.object.id), 'won'));
  events.push(...standin.cancelFromDashboard(sub));
  return { events, sub };
}

async function ledgerOf(t: TestApp, sub: string) {
  const k = t.testDb.db.kysely;
  const plan = await k
    .selectFrom('recurring_plans')
    .selectAll()
    .where('provider_subscription_id', '=', sub)
    .executeTakeFirstOrThrow();
  const rows = await k.selectFrom('payments').selectAll().where('supporter_id', '=', plan.supporter_id).execute();
  return { plan, rows, total: rows.reduce((s, r) => s + r.amount, 0) };
}

for (const dialect of dialects) {
  describe(`Stripe through the stand-in on ${dialect}`, () => {
    const standin = new StripeStandin();
    let t: TestApp;
    before(async () => {
      await standin.start();
      t = await createTestApp(dialect, {
        env: { STRIPE_SECRET_KEY: 'sk_test_standin', STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_BASE: standin.url },
      });
    });
    after(async () => {
      await t.close();
      await standin.stop();
    });

    test('checkout creates a subscription session at the chosen amount and interval, keyed by the attempt', async () => {
      const session = await checkout(t, standin, {
        frequency: 'year',
        currency: 'GBP',
        amount_year: 'other',
        other_amount: '75',
      });
      const req = standin.requests.findLast((r) => r.path === '/v1/checkout/sessions')!;
      const attempt = await t.testDb.db.kysely
        .selectFrom('checkout_attempts')
        .selectAll()
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(req.idempotencyKey, `checkout-${attempt.public_id}`);
      assert.equal(attempt.provider_session_id, session);
      assert.deepEqual(
        [attempt.amount, attempt.currency, attempt.frequency, attempt.status],
        [7500, 'GBP', 'year', 'redirected'],
      );
      const body = req.body as {
        mode: string;
        line_items: { price_data: { unit_amount: string; currency: string; recurring: { interval: string } } }[];
      };
      assert.equal(body.mode, 'subscription');
      assert.deepEqual(body.line_items[0]!.price_data.recurring, { interval: 'year' });
      assert.equal(body.line_items[0]!.price_data.unit_amount, '7500');
      assert.equal(body.line_items[0]!.price_data.currency, 'gbp');
      // No provider script or card field on our page.
      const page = await t.app.inject('/support');
      assert.doesNotMatch(
        page.body,
        /<script(?! type="application\/ld\+json"| src="\/support\/give\.js")|stripe\.com|name="card/i,
      );
      assert.doesNotMatch(page.body, /TEST MODE/);
    });

    test('a checkout whose answer is lost is retried with the same key and creates one session', async () => {
      const sessionsBefore = [...standin.objects.values()].filter((o) => o.object === 'checkout.session').length;
      standin.dropAfterCommit('POST', '/v1/checkout/sessions');
      await checkout(t, standin, { frequency: 'once', currency: 'USD', amount_once: '2500' });
      const reqs = standin.requests.filter((r) => r.path === '/v1/checkout/sessions').slice(-2);
      assert.equal(reqs[0]!.idempotencyKey, reqs[1]!.idempotencyKey);
      assert.equal(reqs[1]!.replayed, true);
      assert.equal(standin.effectsPerKey.get(reqs[0]!.idempotencyKey!), 1);
      assert.equal(
        [...standin.objects.values()].filter((o) => o.object === 'checkout.session').length,
        sessionsBefore + 1,
      );
    });

    test('lifecycles in 24 random orders, each event delivered 1–3 times: one effect each, exact totals, the provider’s final state', async () => {
      for (let seed = 1; seed <= 24; seed++) {
        const email = `order${seed}@example.org`;
        const { events, sub } = await lifecycle(t, standin, email);
        const deliveries = shuffle(
          events.flatMap((e, i) => Array.from({ length: 1 + ((seed + i) % 3) }, () => e)),
          seed,
        );
        // Pairs go concurrently, the rest one by one.
        for (let i = 0; i < deliveries.length; i += 2) {
          const batch = deliveries.slice(i, i + 2);
          for (const r of await Promise.all(batch.map((e) => post(t.app, e))))
            assert.equal(r.statusCode, 200, `seed ${seed}: ${r.body}`);
        }
        const { plan, rows, total } = await ledgerOf(t, sub);
        const remote = standin.subscription(sub);
        assert.equal(plan.status, remote.status, `seed ${seed}`);
        assert.equal(plan.status, 'canceled');
        assert.equal(plan.amount, 500);
        assert.deepEqual(
          rows.map((r) => r.kind).sort(),
          ['dispute', 'dispute_won', 'payment', 'payment', 'refund'],
          `seed ${seed}`,
        );
        assert.equal(total, 500 + 500 - 200 - 500 + 500, `seed ${seed}`);
      }
      // Every event id applied once, no matter how often it came.
      const n = await t.testDb.db.kysely
        .selectFrom('processed_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.ok(Number(n.n) >= 24 * 9);
    });

    test('every event of a lifecycle delivered 5 times at once: all 2xx, one effect each, one receipt per payment', async () => {
      const email = 'burst@example.org';
      const { events, sub } = await lifecycle(t, standin, email);
      const all = await Promise.all(events.flatMap((e) => Array.from({ length: 5 }, () => post(t.app, e))));
      for (const r of all) assert.equal(r.statusCode, 200, r.body);
      const { rows, total } = await ledgerOf(t, sub);
      assert.equal(rows.length, 5);
      assert.equal(total, 800);
      const jobs = await t.testDb.db.kysely
        .selectFrom('jobs')
        .select('payload')
        .where('type', '=', 'mail.send')
        .execute();
      assert.equal(jobs.filter((j) => JSON.stringify(j.payload).includes(email)).length, 2);
    });

    test('forged, tampered, wrong-secret and stale Stripe webhooks change nothing; a failed renewal makes the plan past due', async () => {
      const session = await checkout(t, standin, { frequency: 'month', currency: 'USD', amount_month: '500' });
      const events = standin.pay(session, 'late-payer@example.org');
      const counts = async () => {
        const k = t.testDb.db.kysely;
        const n = async (table: 'payments' | 'processed_events' | 'supporters' | 'recurring_plans') =>
          Number(
            (
              await k
                .selectFrom(table)
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        return [await n('payments'), await n('processed_events'), await n('supporters'), await n('recurring_plans')];
      };
      const before = await counts();
      const e = events[2]!;
      const good = StripeStandin.signed(e, SECRET);
      const stale = StripeStandin.signed(e, SECRET, Math.floor(Date.now() / 1000) - 600);
      const wrong = StripeStandin.signed(e, 'whsec_not_ours');
      const bad = [
        { payload: good.payload.replace('"amount_paid":500', '"amount_paid":50000'), header: good.header },
        { payload: good.payload, header: wrong.header },
        { payload: good.payload, header: stale.header },
        { payload: good.payload, header: good.header.replace(/v1=[0-9a-f]+/, 'v1=' + '0'.repeat(64)) },
        { payload: good.payload, header: '' },
      ];
      for (const b of bad) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/support/webhook',
          payload: b.payload,
          headers: { 'content-type': 'application/json', 'stripe-signature': b.header },
        });
        assert.equal(r.statusCode, 400);
      }
      assert.deepEqual(await counts(), before);
      for (const ev of events) assert.equal((await post(t.app, ev)).statusCode, 200);
      const sub = String(standin.objects.get(session)!.subscription);
      for (const ev of standin.failRenewal(sub, 'late-payer@example.org').reverse())
        assert.equal((await post(t.app, ev)).statusCode, 200);
      const plan = await t.testDb.db.kysely
        .selectFrom('recurring_plans')
        .selectAll()
        .where('provider_subscription_id', '=', sub)
        .executeTakeFirstOrThrow();
      assert.equal(plan.status, 'past_due');
      assert.equal((await ledgerOf(t, sub)).rows.length, 1, 'a failed invoice moves no money');
    });

    test('signed events the books cannot hold are refused, recorded, answered 200 and change nothing', async () => {
      const k = t.testDb.db.kysely;
      /** A paid monthly gift of 5.00 USD; returns its payment intent. */
      const paidMonthly = async (email: string) => {
        const session = await checkout(t, standin, { frequency: 'month', currency: 'USD', amount_month: '500' });
        const events = standin.pay(session, email);
        for (const e of events) assert.equal((await post(t.app, e)).statusCode, 200);
        const invoice = events.find((e) => e.type === 'invoice.paid')!;
        const pi = (invoice.data.object.payments as { data: { payment: { payment_intent: string } }[] }).data[0]!
          .payment.payment_intent;
        return { invoice, pi };
      };
      const ledger = () =>
        k.selectFrom('payments').select(['provider_object_id', 'kind', 'amount']).orderBy('id').execute();
      const refuse = async (e: StandinEvent, reason: string) => {
        const before = await ledger();
        for (let delivery = 0; delivery < 2; delivery++) {
          const res = await post(t.app, e);
          assert.equal(res.statusCode, 200, res.body);
          assert.equal(JSON.parse(res.body).result, 'rejected', `${e.type}, delivery ${delivery + 1}`);
        }
        assert.deepEqual(await ledger(), before, `${e.type} changed the ledger`);
        const rows = await k.selectFrom('support_rejections').selectAll().where('event_id', '=', e.id).execute();
        assert.deepEqual(
          rows.map((r) => [r.provider, r.type, r.reason]),
          [['stripe', e.type, reason]],
        );
        assert.ok(rows[0]!.rejected_at);
      };

      // A currency we do not take, on a payment that is otherwise fine.
      const { invoice } = await paidMonthly('yen@example.org');
      await refuse(
        {
          ...invoice,
          id: `${invoice.id}_jpy`,
          data: { object: { ...invoice.data.object, id: 'in_jpy', currency: 'jpy', payments: { data: [] } } },
        },
        'SUPPORT_CURRENCY_NOT_TAKEN',
      );

      // A refund in another currency than its payment.
      const a = await paidMonthly('euro-refund@example.org');
      await refuse(standin.refund(a.pi, 100, 'eur'), 'SUPPORT_CURRENCY_MISMATCH');

      // A refund larger than the payment; then more refunded than is left after a first refund.
      const b = await paidMonthly('too-much@example.org');
      await refuse(standin.refund(b.pi, 501), 'SUPPORT_EXCEEDS_PAYMENT');
      const c = await paidMonthly('twice@example.org');
      const first = await post(t.app, standin.refund(c.pi, 300));
      assert.equal(JSON.parse(first.body).result, 'applied');
      await refuse(standin.refund(c.pi, 300), 'SUPPORT_EXCEEDS_PAYMENT');

      // Disputes: another currency, one we do not take, and more than is left after a refund.
      const d = await paidMonthly('disputes@example.org');
      await refuse(standin.dispute(d.pi, 500, 'gbp'), 'SUPPORT_CURRENCY_MISMATCH');
      await refuse(standin.dispute(d.pi, 500, 'jpy'), 'SUPPORT_CURRENCY_NOT_TAKEN');
      assert.equal(JSON.parse((await post(t.app, standin.refund(d.pi, 200))).body).result, 'applied');
      await refuse(standin.dispute(d.pi, 301, 'usd'), 'SUPPORT_EXCEEDS_PAYMENT');

      // What fits is still booked: the rest of the payment, disputed, then won back.
      const fits = standin.dispute(d.pi, 300, 'usd');
      assert.equal(JSON.parse((await post(t.app, fits)).body).result, 'applied');
      const won = standin.closeDispute(String(fits.data.object.id), 'won');
      assert.equal(JSON.parse((await post(t.app, won)).body).result, 'applied');
      const booked = (await ledger()).filter((r) => r.provider_object_id === String(fits.data.object.id));
      assert.deepEqual(
        booked.map((r) => [r.kind, r.amount]),
        [
          ['dispute', -300],
          ['dispute_won', 300],
        ],
      );
    });

    test('reconcile repairs missed webhooks through the same ledger code, and a second run changes nothing', async () => {
      const { events, sub } = await lifecycle(t, standin, 'missed@example.org');
      // Only the cancellation arrives; everything else is lost on the way.
      await post(t.app, events.at(-1)!);
      assert.equal((await ledgerOf(t, sub)).rows.length, 0);
      const first = await reconcile(t.app.masthead.support, 1);
      assert.ok(first.applied >= events.length - 1);
      const { rows, total, plan } = await ledgerOf(t, sub);
      assert.equal(rows.length, 5);
      assert.equal(total, 800);
      assert.equal(plan.status, 'canceled');
      const second = await reconcile(t.app.masthead.support, 1);
      assert.equal(second.applied, 0);
      assert.equal((await ledgerOf(t, sub)).rows.length, 5);
    });

    test('self-service change and cancel through Stripe: answers lost in transit, retried with the same key, one side effect each', async () => {
      const email = 'manage@example.org';
      const session = await checkout(t, standin, { frequency: 'month', currency: 'USD', amount_month: '1000' });
      const events = standin.pay(session, email);
      for (const e of events) assert.equal((await post(t.app, e)).statusCode, 200);
      const sub = String(standin.objects.get(session)!.subscription);
      const deps = t.app.masthead.support;
      const s = await import('#support');
      await s.requestManageLink(deps, email, '192.0.2.50');
      const link = await t.testDb.db.kysely
        .selectFrom('support_tokens')
        .selectAll()
        .where('purpose', '=', 'link')
        .executeTakeFirstOrThrow();
      assert.ok(link.token_hash.length === 64); // only the hash is stored
      const mail = await t.testDb.db.kysely
        .selectFrom('jobs')
        .select('payload')
        .where('type', '=', 'mail.send')
        .execute();
      const token = /\/support\/manage\/([A-Za-z0-9_-]{43})/.exec(
        mail.map((m) => JSON.stringify(m.payload)).join('\n'),
      )?.[1];
      assert.ok(token);
      const sessionToken = await s.openManageSession(deps, token);
      await assert.rejects(s.openManageSession(deps, token), { code: 'SUPPORT_LINK_INVALID' });
      const plan = await t.testDb.db.kysely
        .selectFrom('recurring_plans')
        .selectAll()
        .where('provider_subscription_id', '=', sub)
        .executeTakeFirstOrThrow();

      standin.dropAfterCommit('POST', `/v1/subscriptions/${sub}`);
      await s.changePlan(deps, sessionToken, plan.id, { frequency: 'year', amount: '100' });
      const updates = standin.requests.filter((r) => r.method === 'POST' && r.path === `/v1/subscriptions/${sub}`);
      assert.equal(updates.length, 2);
      assert.equal(updates[0]!.idempotencyKey, updates[1]!.idempotencyKey);
      assert.equal(standin.effectsPerKey.get(updates[0]!.idempotencyKey!), 1);
      const remote = standin.subscription(sub) as {
        items: { data: { price: { unit_amount: number; recurring: { interval: string } } }[] };
      };
      assert.deepEqual(
        [remote.items.data[0]!.price.unit_amount, remote.items.data[0]!.price.recurring.interval],
        [10000, 'year'],
      );
      let local = await t.testDb.db.kysely
        .selectFrom('recurring_plans')
        .selectAll()
        .where('id', '=', plan.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual([local.amount, local.frequency], [10000, 'year']);
      // Below the annual minimum: refused before any call.
      const callsBefore = standin.requests.length;
      await assert.rejects(s.changePlan(deps, sessionToken, plan.id, { frequency: 'year', amount: '5' }), {
        code: 'SUPPORT_AMOUNT_TOO_SMALL',
      });
      assert.equal(
        standin.requests.filter((r) => r.method !== 'GET').length,
        standin.requests.slice(0, callsBefore).filter((r) => r.method !== 'GET').length,
      );

      standin.dropAfterCommit('DELETE', `/v1/subscriptions/${sub}`);
      await s.cancelPlan(deps, sessionToken, plan.id);
      const deletes = standin.requests.filter((r) => r.method === 'DELETE' && r.path === `/v1/subscriptions/${sub}`);
      assert.equal(deletes.length, 2);
      assert.equal(deletes[0]!.idempotencyKey, `plan-${plan.id}-cancel`);
      assert.equal(
        standin.events.filter((e) => e.type === 'customer.subscription.deleted' && e.data.object.id === sub).length,
        1,
      );
      local = await t.testDb.db.kysely
        .selectFrom('recurring_plans')
        .selectAll()
        .where('id', '=', plan.id)
        .executeTakeFirstOrThrow();
      assert.equal(local.status, 'canceled');

      // The billing portal for the card.
      const url = await s.paymentMethodUrl(deps, sessionToken, plan.id, `${ORIGIN}/support/manage/account`);
      assert.match(url, /^https:\/\/billing\.stripe\.test\//);

      // Erasure deletes the customer at Stripe too, by a job that survives a lost answer.
      const customer = String(standin.objects.get(session)!.customer);
      assert.equal(standin.objects.get(customer)?.object, 'customer');
      standin.dropAfterCommit('DELETE', `/v1/customers/${customer}`);
      await s.eraseSupport(deps, sessionToken);
      // The job is written with its type's own number of tries (12), not the queue's default.
      const written = await t.testDb.db.kysely
        .selectFrom('jobs')
        .select('max_attempts')
        .where('type', '=', 'support.forget-customer')
        .executeTakeFirstOrThrow();
      assert.equal(written.max_attempts, 12);
      // A worker for that job alone, with short retries.
      const worker = new JobRunner({
        db: deps.db,
        clock: deps.clock,
        handlers: [handle(s.FORGET_CUSTOMER_JOB, (p) => s.forgetCustomer(deps, p))],
        backoffMs: 20,
        pollMs: 20,
      });
      worker.start();
      try {
        const job = () =>
          t.testDb.db.kysely
            .selectFrom('jobs')
            .select(['status', 'attempts'])
            .where('type', '=', 'support.forget-customer')
            .executeTakeFirst();
        await until(async () => (await job())?.status === 'done', 'the customer deletion');
      } finally {
        await worker.stop();
      }
      // The answer was lost; the retry (the SDK's own, or the job's) met an already deleted
      // customer and took that as done.
      assert.equal(
        standin.requests.filter((r) => r.method === 'DELETE' && r.path === `/v1/customers/${customer}`).length,
        2,
      );
      assert.equal(standin.objects.has(customer), false);
    });
  });
}
