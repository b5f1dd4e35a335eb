import type { PlanStatus } from '#db';
import type { Currency, Frequency } from './money.ts';

/**
 * A payment provider as the rest of support sees it. Events, sessions and subscriptions
 * are Stripe-shaped (the test provider speaks the same shapes), so one ledger serves both.
 */
export interface SupportProvider {
  readonly name: 'stripe' | 'test';
  /** True for the built-in test provider: every page it touches says "TEST MODE — no money moves". */
  readonly testMode: boolean;
  /** Creates the hosted checkout; retried calls with the same key create nothing new. */
  createCheckout(input: CheckoutInput): Promise<{ sessionId: string; url: string }>;
  /** Checks the signature on the raw body and parses the event; throws SUPPORT_SIGNATURE_INVALID. */
  verifyEvent(rawBody: Buffer, signature: string | undefined): Promise<ProviderEvent>;
  getSubscription(id: string): Promise<SubscriptionInfo>;
  /** Every refund of a charge, for `charge.refunded` (the event's own copy may be partial). */
  listRefunds(chargeId: string): Promise<RefundInfo[]>;
  updateSubscription(
    id: string,
    change: { amount: number; currency: Currency; frequency: 'month' | 'year' },
    idempotencyKey: string,
  ): Promise<SubscriptionInfo>;
  cancelSubscription(id: string, idempotencyKey: string): Promise<SubscriptionInfo>;
  /** Where a supporter updates their payment method (the provider's portal). */
  paymentMethodUrl(customerId: string, returnUrl: string): Promise<string>;
  /** Events the provider sent since a time (seconds), oldest first: the reconcile input. */
  listEvents(sinceSeconds: number): Promise<ProviderEvent[]>;
  /**
   * Deletes a customer at the provider when its supporter is erased: their address and saved
   * payment methods go; the provider keeps its own payment records. One already gone is fine.
   */
  deleteCustomer(customerId: string): Promise<void>;
}

export interface CheckoutInput {
  /** The checkout attempt's public id: it names the session and derives the idempotency key. */
  attempt: string;
  idempotencyKey: string;
  amount: number;
  currency: Currency;
  frequency: Frequency;
  description: string;
  successUrl: string;
  cancelUrl: string;
}

export interface ProviderEvent {
  id: string;
  type: string;
  /** Seconds since the epoch. */
  created: number;
  /** `data.object` of the event. */
  object: Record<string, unknown>;
}

export interface SubscriptionInfo {
  id: string;
  customerId: string | null;
  status: PlanStatus;
  frequency: 'month' | 'year';
  amount: number;
  currency: string;
  /** Seconds since the epoch, or null. */
  currentPeriodEnd: number | null;
  canceledAt: number | null;
}

export interface RefundInfo {
  id: string;
  amount: number;
  currency: string;
  created: number;
  status: string;
}

// ---- reading Stripe-shaped objects safely ----

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null;
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function int(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}

/** An id field that may be a bare id or an expanded object. */
export function idOf(v: unknown): string | null {
  return str(v) ?? str(obj(v)?.id);
}

const STATUSES: Record<string, PlanStatus> = {
  incomplete: 'incomplete',
  incomplete_expired: 'canceled',
  trialing: 'active',
  active: 'active',
  past_due: 'past_due',
  canceled: 'canceled',
  unpaid: 'unpaid',
  paused: 'paused',
};

/** A Stripe-shaped subscription object as our plan: amount × quantity of its one item. */
export function subscriptionInfo(s: Obj): SubscriptionInfo {
  const item = obj((obj(s.items)?.data as unknown[] | undefined)?.[0]);
  const price = obj(item?.price) ?? obj(obj(s.plan));
  const recurring = obj(price?.recurring);
  const interval = str(recurring?.interval) ?? str(price?.interval);
  const amount = (int(price?.unit_amount) ?? int(price?.amount) ?? 0) * (int(item?.quantity) ?? 1);
  const id = str(s.id);
  if (!id || (interval !== 'month' && interval !== 'year') || amount <= 0)
    throw new Error(`subscription ${id ?? '?'} has no monthly or yearly price`);
  return {
    id,
    customerId: idOf(s.customer),
    status: STATUSES[str(s.status) ?? ''] ?? 'incomplete',
    frequency: interval,
    amount,
    currency: (str(price?.currency) ?? str(s.currency) ?? '').toUpperCase(),
    currentPeriodEnd: int(item?.current_period_end) ?? int(s.current_period_end),
    canceledAt: int(s.ended_at) ?? int(s.canceled_at),
  };
}
