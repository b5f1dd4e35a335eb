import crypto from 'node:crypto';
import { toDbTime, type Db } from '#db';
import type { JobQueue } from '#jobs';
import type { Clock } from '#lib/clock.ts';
import { NotFoundError } from '#lib/errors.ts';
import { eventFromStripe, verifySignedEvent } from './signature.ts';
import {
  obj,
  str,
  subscriptionInfo,
  type CheckoutInput,
  type Obj,
  type ProviderEvent,
  type RefundInfo,
  type SubscriptionInfo,
  type SupportProvider,
} from './provider.ts';
import { TEST_WEBHOOK_JOB } from './jobs.ts';

const SECRET_KEY = 'test-provider.webhook-secret';

/** Delivers one signed webhook to our own endpoint and returns the HTTP status. */
export type WebhookDelivery = (rawBody: string, signature: string) => Promise<number>;

interface Deps {
  db: Db;
  clock: Clock;
  jobs: JobQueue;
}

const newId = (prefix: string) => `${prefix}_test_${crypto.randomBytes(12).toString('base64url')}`;

/**
 * The built-in test provider: active while no Stripe keys are configured, for demos and
 * development. It is product code, not a test fake: its hosted-like page lives on our own
 * server, its records live in `support_test_objects`, and it signs Stripe-shaped webhooks
 * and delivers them (through the `support.test-webhook` job) to the very endpoint Stripe
 * would call, so the same verification and ledger code runs. No money moves.
 */
export class TestProvider implements SupportProvider {
  readonly name = 'test' as const;
  readonly testMode = true;
  private readonly deps: Deps;
  private secret: string | null = null;
  /** Set by the app once its webhook route exists. */
  delivery: WebhookDelivery | null = null;

  constructor(deps: Deps) {
    this.deps = deps;
  }

  /** The webhook signing secret, generated once per installation. */
  async webhookSecret(): Promise<string> {
    if (this.secret) return this.secret;
    const k = this.deps.db.kysely;
    const fresh = `whsec_test_${crypto.randomBytes(24).toString('base64url')}`;
    await k
      .insertInto('support_settings')
      .values({ key: SECRET_KEY, value: fresh, updated_at: toDbTime(this.deps.clock.now()) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await k
      .selectFrom('support_settings')
      .select('value')
      .where('key', '=', SECRET_KEY)
      .executeTakeFirstOrThrow();
    this.secret = row.value;
    return row.value;
  }

  async verifyEvent(rawBody: Buffer, signature: string | undefined): Promise<ProviderEvent> {
    return verifySignedEvent(rawBody, signature, await this.webhookSecret(), this.seconds());
  }

  // ---- records ----

  private async put(id: string, kind: string, data: Obj): Promise<void> {
    const now = toDbTime(this.deps.clock.now());
    const value = JSON.stringify(data);
    await this.deps.db.kysely
      .insertInto('support_test_objects')
      .values({ id, kind, data: value, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ data: value, updated_at: now }))
      .execute();
  }

  private async get(id: string, kind: string): Promise<Obj | null> {
    const row = await this.deps.db.kysely
      .selectFrom('support_test_objects')
      .select('data')
      .where('id', '=', id)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row ? (JSON.parse(row.data) as Obj) : null;
  }

  private seconds(): number {
    return Math.floor(this.deps.clock.now().getTime() / 1000);
  }

  /** Records an event and queues its signed delivery. */
  private async emit(type: string, object: Obj): Promise<void> {
    const id = newId('evt');
    await this.put(id, 'event', { id, object: 'event', type, created: this.seconds(), data: { object } });
    await this.deps.jobs.enqueue(TEST_WEBHOOK_JOB, { eventId: id }, { uniqueKey: `${TEST_WEBHOOK_JOB.type}:${id}` });
  }

  /** Signs a stored event and hands it to our webhook endpoint; a non-2xx answer throws (the job retries). */
  async deliverEvent(eventId: string): Promise<void> {
    const event = await this.get(eventId, 'event');
    if (!event) return;
    if (!this.delivery) throw new Error('the test provider has no webhook delivery');
    const payload = JSON.stringify(event);
    // Loaded here, not at start: see signature.ts.
    const { default: Stripe } = await import('stripe');
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: await this.webhookSecret(),
      timestamp: this.seconds(),
    });
    const status = await this.delivery(payload, header);
    if (status < 200 || status >= 300) throw new Error(`webhook endpoint answered ${status}`);
  }

  // ---- SupportProvider ----

  async createCheckout(input: CheckoutInput): Promise<{ sessionId: string; url: string }> {
    // The id follows from the idempotency key: a retried call finds the same session.
    const id = `cs_test_${crypto.createHash('sha256').update(input.idempotencyKey).digest('base64url').slice(0, 24)}`;
    if (!(await this.get(id, 'session'))) {
      await this.put(id, 'session', {
        id,
        object: 'checkout.session',
        mode: input.frequency === 'once' ? 'payment' : 'subscription',
        status: 'open',
        payment_status: 'unpaid',
        amount_total: input.amount,
        currency: input.currency.toLowerCase(),
        interval: input.frequency === 'once' ? null : input.frequency,
        description: input.description,
        metadata: { attempt: input.attempt },
        client_reference_id: input.attempt,
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
        customer: null,
        subscription: null,
        payment_intent: null,
      });
    }
    return { sessionId: id, url: `/support/test-checkout/${id}` };
  }

  /** The session behind the hosted-like page (404 if unknown). */
  async getSession(id: string): Promise<Obj> {
    const s = /^cs_test_[A-Za-z0-9_-]{1,40}$/.test(id) ? await this.get(id, 'session') : null;
    if (!s) throw new NotFoundError('SUPPORT_TEST_SESSION_UNKNOWN', 'This test checkout does not exist.');
    return s;
  }

  /**
   * "Pays" an open session as the hosted page's button does: creates the customer, the
   * payment or the subscription with its first paid invoice, and emits the events Stripe
   * would. Paying twice changes nothing. Returns the success URL.
   */
  async completeSession(id: string, email: string): Promise<string> {
    const s = await this.getSession(id);
    const success = String(s.success_url).replace('{CHECKOUT_SESSION_ID}', id);
    if (s.status === 'complete') return success;
    // A double click must not pay twice: the first request claims the session.
    const claim = await this.deps.db.kysely
      .insertInto('support_test_objects')
      .values({
        id: `paid_${id}`,
        kind: 'claim',
        data: '{}',
        created_at: toDbTime(this.deps.clock.now()),
        updated_at: toDbTime(this.deps.clock.now()),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!claim) return success;
    const now = this.seconds();
    const customer = newId('cus');
    await this.put(customer, 'customer', { id: customer, object: 'customer', email });
    const amount = Number(s.amount_total);
    const currency = String(s.currency);
    const completed: Obj = { ...s, status: 'complete', payment_status: 'paid', customer, customer_details: { email } };
    if (s.mode === 'payment') {
      completed.payment_intent = newId('pi');
      await this.put(id, 'session', completed);
      await this.emit('checkout.session.completed', completed);
      return success;
    }
    const interval = s.interval === 'year' ? 'year' : 'month';
    const sub = newId('sub');
    const subscription: Obj = {
      id: sub,
      object: 'subscription',
      customer,
      status: 'active',
      currency,
      items: {
        data: [
          {
            id: newId('si'),
            quantity: 1,
            current_period_end: periodEnd(now, interval),
            price: { unit_amount: amount, currency, recurring: { interval } },
          },
        ],
      },
      canceled_at: null,
      ended_at: null,
    };
    completed.subscription = sub;
    await this.put(sub, 'subscription', subscription);
    await this.put(id, 'session', completed);
    const invoice = newId('in');
    const paidInvoice: Obj = {
      id: invoice,
      object: 'invoice',
      customer,
      customer_email: email,
      subscription: sub,
      amount_paid: amount,
      currency,
      status: 'paid',
      payment_intent: newId('pi'),
    };
    await this.put(invoice, 'invoice', paidInvoice);
    await this.emit('customer.subscription.created', subscription);
    await this.emit('checkout.session.completed', completed);
    await this.emit('invoice.paid', paidInvoice);
    return success;
  }

  async getSubscription(id: string): Promise<SubscriptionInfo> {
    const s = await this.get(id, 'subscription');
    if (!s) throw new NotFoundError('SUPPORT_SUBSCRIPTION_UNKNOWN', 'No such subscription at the test provider.');
    return subscriptionInfo(s);
  }

  async listRefunds(_chargeId: string): Promise<RefundInfo[]> {
    return []; // the test provider takes no money, so it refunds none
  }

  private async once(key: string, work: () => Promise<SubscriptionInfo>, id: string): Promise<SubscriptionInfo> {
    const keyId = `idem_${crypto.createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;
    if (await this.get(keyId, 'idempotency')) return this.getSubscription(id);
    const r = await work();
    await this.put(keyId, 'idempotency', { key });
    return r;
  }

  async updateSubscription(
    id: string,
    change: { amount: number; currency: string; frequency: 'month' | 'year' },
    idempotencyKey: string,
  ): Promise<SubscriptionInfo> {
    return this.once(
      idempotencyKey,
      async () => {
        const s = await this.get(id, 'subscription');
        if (!s || s.status === 'canceled')
          throw new NotFoundError('SUPPORT_SUBSCRIPTION_UNKNOWN', 'No such active subscription.');
        const items = obj(s.items)?.data as Obj[];
        const item = items[0] ?? {};
        const updated: Obj = {
          ...s,
          currency: change.currency.toLowerCase(),
          items: {
            data: [
              {
                ...item,
                current_period_end: periodEnd(this.seconds(), change.frequency),
                price: {
                  unit_amount: change.amount,
                  currency: change.currency.toLowerCase(),
                  recurring: { interval: change.frequency },
                },
              },
            ],
          },
        };
        await this.put(id, 'subscription', updated);
        await this.emit('customer.subscription.updated', updated);
        return subscriptionInfo(updated);
      },
      id,
    );
  }

  async cancelSubscription(id: string, idempotencyKey: string): Promise<SubscriptionInfo> {
    return this.once(
      idempotencyKey,
      async () => {
        const s = await this.get(id, 'subscription');
        if (!s) throw new NotFoundError('SUPPORT_SUBSCRIPTION_UNKNOWN', 'No such subscription.');
        if (s.status === 'canceled') return subscriptionInfo(s);
        const canceled: Obj = { ...s, status: 'canceled', canceled_at: this.seconds(), ended_at: this.seconds() };
        await this.put(id, 'subscription', canceled);
        await this.emit('customer.subscription.deleted', canceled);
        return subscriptionInfo(canceled);
      },
      id,
    );
  }

  async paymentMethodUrl(customerId: string, returnUrl: string): Promise<string> {
    return `/support/test-payment-method?customer=${encodeURIComponent(customerId)}&return=${encodeURIComponent(returnUrl)}`;
  }

  async listEvents(sinceSeconds: number): Promise<ProviderEvent[]> {
    const rows = await this.deps.db.kysely
      .selectFrom('support_test_objects')
      .select('data')
      .where('kind', '=', 'event')
      .where('created_at', '>=', toDbTime(new Date(sinceSeconds * 1000)))
      .orderBy('created_at')
      .execute();
    return rows.flatMap((r) => {
      const e = eventFromStripe(JSON.parse(r.data) as unknown);
      return e ? [e] : [];
    });
  }

  async deleteCustomer(customerId: string): Promise<void> {
    await this.deps.db.kysely
      .deleteFrom('support_test_objects')
      .where('id', '=', customerId)
      .where('kind', '=', 'customer')
      .execute();
  }

  /** A customer's address as the provider knows it (for the test payment-method page). */
  async customerEmail(customerId: string): Promise<string | null> {
    return str((await this.get(customerId, 'customer'))?.email);
  }
}

function periodEnd(nowSeconds: number, interval: 'month' | 'year'): number {
  const d = new Date(nowSeconds * 1000);
  if (interval === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return Math.floor(d.getTime() / 1000);
}

/** The work of a `support.test-webhook` job. With another provider configured since, there is nothing to deliver. */
export async function deliverTestEvent(deps: { provider: unknown }, eventId: string): Promise<void> {
  if (deps.provider instanceof TestProvider) await deps.provider.deliverEvent(eventId);
}
