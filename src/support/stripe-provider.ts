import type Stripe from 'stripe';
import type { Clock } from '#lib/clock.ts';
import { ValidationError } from '#lib/errors.ts';
import { eventFromStripe, verifySignedEvent } from './signature.ts';
import {
  idOf,
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

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** Another API address (the offline stand-in in tests): `http://127.0.0.1:12111`. */
  apiBase?: string | undefined;
}

/** Network retries the SDK makes by itself, each with the same idempotency key. */
const NETWORK_RETRIES = 2;

/**
 * Stripe through its official SDK: Checkout Sessions (payment, or subscription with
 * price_data at the reader's amount, currency and interval), subscription changes and
 * cancellation, the billing portal for payment methods. Every mutating call carries an
 * idempotency key derived from a durable local row, so a retry never acts twice.
 */
export class StripeProvider implements SupportProvider {
  readonly name = 'stripe' as const;
  readonly testMode = false;
  private readonly settings: StripeSettings;
  private readonly webhookSecret: string;
  private readonly clock: Clock;
  private sdk: Promise<Stripe> | null = null;

  constructor(settings: StripeSettings, clock: Clock) {
    this.settings = settings;
    this.webhookSecret = settings.webhookSecret;
    this.clock = clock;
  }

  /** The SDK client, loaded on first use: the package adds about 37 MB to a process (ADR 008). */
  private client(): Promise<Stripe> {
    this.sdk ??= import('stripe').then(({ default: StripeSdk }) => {
      const base = this.settings.apiBase ? new URL(this.settings.apiBase) : null;
      return new StripeSdk(this.settings.secretKey, {
        maxNetworkRetries: NETWORK_RETRIES,
        timeout: 20_000,
        telemetry: false,
        ...(base
          ? {
              host: base.hostname,
              port: base.port || (base.protocol === 'http:' ? 80 : 443),
              protocol: base.protocol === 'http:' ? 'http' : 'https',
            }
          : {}),
      });
    });
    return this.sdk;
  }

  async verifyEvent(rawBody: Buffer, signature: string | undefined): Promise<ProviderEvent> {
    return verifySignedEvent(rawBody, signature, this.webhookSecret, Math.floor(this.clock.now().getTime() / 1000));
  }

  async createCheckout(input: CheckoutInput): Promise<{ sessionId: string; url: string }> {
    const currency = input.currency.toLowerCase();
    const recurring = input.frequency === 'once' ? undefined : { interval: input.frequency };
    const session = await (
      await this.client()
    ).checkout.sessions.create(
      {
        mode: recurring ? 'subscription' : 'payment',
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency,
              unit_amount: input.amount,
              product_data: { name: input.description },
              ...(recurring ? { recurring } : {}),
            },
          },
        ],
        ...(recurring ? {} : { customer_creation: 'always' as const }),
        client_reference_id: input.attempt,
        metadata: { attempt: input.attempt },
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
      },
      { idempotencyKey: input.idempotencyKey },
    );
    if (!session.url) throw new Error('Stripe returned a checkout session without a URL');
    return { sessionId: session.id, url: session.url };
  }

  async getSubscription(id: string): Promise<SubscriptionInfo> {
    return subscriptionInfo((await (await this.client()).subscriptions.retrieve(id)) as unknown as Obj);
  }

  async listRefunds(chargeId: string): Promise<RefundInfo[]> {
    const out: RefundInfo[] = [];
    for await (const r of (await this.client()).refunds.list({ charge: chargeId, limit: 100 })) {
      out.push({ id: r.id, amount: r.amount, currency: r.currency, created: r.created, status: r.status ?? '' });
    }
    return out;
  }

  async updateSubscription(
    id: string,
    change: { amount: number; currency: string; frequency: 'month' | 'year' },
    idempotencyKey: string,
  ): Promise<SubscriptionInfo> {
    const current = (await (await this.client()).subscriptions.retrieve(id)) as unknown as Obj;
    const item = obj((obj(current.items)?.data as unknown[] | undefined)?.[0]);
    const itemId = str(item?.id);
    const product = idOf(obj(item?.price)?.product);
    if (!itemId || !product) throw new Error(`subscription ${id} has no item to change`);
    const currency = str(current.currency) ?? str(obj(item?.price)?.currency);
    if (currency && currency.toUpperCase() !== change.currency.toUpperCase()) {
      throw new ValidationError(
        'SUPPORT_CURRENCY_FIXED',
        'A subscription keeps its currency; cancel and start a new one to change it.',
      );
    }
    const updated = await (
      await this.client()
    ).subscriptions.update(
      id,
      {
        items: [
          {
            id: itemId,
            price_data: {
              currency: change.currency.toLowerCase(),
              product,
              unit_amount: change.amount,
              recurring: { interval: change.frequency },
            },
          },
        ],
        proration_behavior: 'none',
      },
      { idempotencyKey },
    );
    return subscriptionInfo(updated as unknown as Obj);
  }

  async cancelSubscription(id: string, idempotencyKey: string): Promise<SubscriptionInfo> {
    return subscriptionInfo(
      (await (await this.client()).subscriptions.cancel(id, {}, { idempotencyKey })) as unknown as Obj,
    );
  }

  async paymentMethodUrl(customerId: string, returnUrl: string): Promise<string> {
    const session = await (
      await this.client()
    ).billingPortal.sessions.create({ customer: customerId, return_url: returnUrl });
    return session.url;
  }

  async deleteCustomer(customerId: string): Promise<void> {
    try {
      await (await this.client()).customers.del(customerId);
    } catch (err) {
      // Deleted before (a retried job) or never there: nothing left to forget.
      const e = err as { statusCode?: unknown; code?: unknown };
      if (e.statusCode === 404 || e.code === 'resource_missing') return;
      throw err;
    }
  }

  async listEvents(sinceSeconds: number): Promise<ProviderEvent[]> {
    const out: ProviderEvent[] = [];
    for await (const e of (await this.client()).events.list({ created: { gte: sinceSeconds }, limit: 100 })) {
      const parsed = eventFromStripe(e);
      if (parsed) out.push(parsed);
    }
    // The API lists newest first; apply oldest first.
    return out.reverse();
  }
}
