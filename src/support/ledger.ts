import type { Kysely } from 'kysely';
import { toDbTime, type Database, type SupportFrequency } from '#db';
import { enqueueMail } from '#mail';
import type { Settings } from '#settings';
import type { SupportDeps } from './deps.ts';
import { receiptMessage } from './messages.ts';
import { isCurrency } from './money.ts';
import {
  idOf,
  int,
  obj,
  str,
  type Obj,
  type ProviderEvent,
  type RefundInfo,
  type SubscriptionInfo,
} from './provider.ts';
import * as q from './queries.ts';
import { recentSettings } from './recent.ts';

/** Event types the ledger acts on; anything else is acknowledged and ignored. */
export const HANDLED_EVENTS = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'invoice.paid',
  'invoice.payment_failed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.closed',
] as const;

const HANDLED = new Set<string>(HANDLED_EVENTS);

export type ApplyResult = 'applied' | 'duplicate' | 'ignored' | 'rejected';

/** Why a correctly signed event was refused; recorded in support_rejections. */
export type RejectionReason = 'SUPPORT_CURRENCY_NOT_TAKEN' | 'SUPPORT_CURRENCY_MISMATCH' | 'SUPPORT_EXCEEDS_PAYMENT';

/** What an event needs from the provider, fetched before the transaction opens. */
interface Fetched {
  /** When the provider was asked: a plan is only overwritten by a view fetched later than its own. */
  fetchedAt: string;
  subscription: SubscriptionInfo | null;
  refunds: RefundInfo[];
}

const secondsToDb = (s: number | null) => (s === null ? null : toDbTime(new Date(s * 1000)));

/** The subscription an invoice belongs to, in both the older and the newer API shapes. */
function invoiceSubscription(inv: Obj): string | null {
  return idOf(inv.subscription) ?? idOf(obj(obj(inv.parent)?.subscription_details)?.subscription);
}

/** The payment intent behind an invoice, when the provider says; it names the ledger row. */
function invoicePaymentIntent(inv: Obj): string | null {
  const first = obj((obj(inv.payments)?.data as unknown[] | undefined)?.[0]);
  return idOf(inv.payment_intent) ?? idOf(obj(first?.payment)?.payment_intent);
}

async function fetchFor(deps: SupportDeps, e: ProviderEvent): Promise<Fetched> {
  const o = e.object;
  const out: Fetched = { fetchedAt: toDbTime(deps.clock.now()), subscription: null, refunds: [] };
  let subId: string | null = null;
  if (e.type.startsWith('checkout.session.')) subId = idOf(o.subscription);
  else if (e.type.startsWith('invoice.')) subId = invoiceSubscription(o);
  else if (e.type.startsWith('customer.subscription.')) subId = str(o.id);
  // Subscription state depends on order: always take the provider's current view.
  if (subId) out.subscription = await deps.provider.getSubscription(subId);
  if (e.type === 'charge.refunded') {
    const id = str(o.id);
    if (id) out.refunds = await deps.provider.listRefunds(id);
  }
  return out;
}

/**
 * Applies one verified provider event to the ledger, exactly once: the event id is claimed
 * in the same transaction as its effects, so a duplicate (sequential or concurrent) changes
 * nothing, and a crash before commit leaves nothing behind for the retry to trip over.
 * Receipts are queued in that transaction too, so a receipt exists iff its payment row does.
 */
export async function applyEvent(deps: SupportDeps, e: ProviderEvent): Promise<ApplyResult> {
  if (!HANDLED.has(e.type)) return 'ignored';
  const provider = deps.provider.name;
  if (await q.isEventProcessed(deps.db.kysely, provider, e.id))
    return (await q.findRejection(deps.db.kysely, provider, e.id)) ? 'rejected' : 'duplicate';
  const fetched = await fetchFor(deps, e);
  const settings = await recentSettings(deps);
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await deps.db.kysely.transaction().execute(async (trx) => {
        const now = toDbTime(deps.clock.now());
        if (!(await q.claimEvent(trx, { provider, eventId: e.id, type: e.type, now }))) return 'duplicate' as const;
        const reason = await refusal(deps, trx, e, fetched);
        if (reason) {
          // Answered 200 so the provider stops retrying; the ledger is left as it was.
          await q.insertRejection(trx, { provider, eventId: e.id, type: e.type, reason, now });
          return 'rejected' as const;
        }
        await effects(deps, trx, settings, e, fetched, now);
        return 'applied' as const;
      });
      if (result === 'applied') deps.jobs.notify();
      return result;
    } catch (err) {
      // Two events about the same customer racing on PostgreSQL: try again from the top.
      if (attempt < 4 && isRetryable(err)) continue;
      throw err;
    }
  }
}

function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001' || code === '23505';
}

/**
 * A signature proves who sent an event, not that it makes sense for our books. Money must
 * be in a currency we take; a refund or dispute must be in its payment's currency and may
 * not take back more than is left of it. Runs inside the event's transaction, holding the
 * payment's lock, so two refunds of one payment are weighed one after the other. When the
 * payment itself has not arrived yet, only the currency is checked.
 */
async function refusal(
  deps: SupportDeps,
  trx: Kysely<Database>,
  e: ProviderEvent,
  f: Fetched,
): Promise<RejectionReason | null> {
  const o = e.object;
  const currencyOf = (v: unknown) => (str(v) ?? '').toUpperCase();
  switch (e.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const paid = str(o.payment_status) === 'paid';
      if (str(o.mode) !== 'subscription' && paid && !isCurrency(currencyOf(o.currency)))
        return 'SUPPORT_CURRENCY_NOT_TAKEN';
      return null;
    }
    case 'invoice.paid':
      return (int(o.amount_paid) ?? 0) > 0 && !isCurrency(currencyOf(o.currency)) ? 'SUPPORT_CURRENCY_NOT_TAKEN' : null;
    case 'charge.refunded': {
      const refunds = f.refunds.filter((r) => r.status === 'succeeded' && r.amount > 0);
      const booked = await q.listBookedObjects(
        trx,
        deps.provider.name,
        refunds.map((r) => r.id),
      );
      const fresh = refunds.filter((r) => !booked.has(r.id));
      return weigh(
        deps,
        trx,
        o,
        fresh.map((r) => ({ amount: r.amount, currency: r.currency.toUpperCase() })),
      );
    }
    case 'charge.dispute.created':
    case 'charge.dispute.closed': {
      const id = str(o.id);
      const amount = int(o.amount);
      if (!id || !amount || (str(o.status) ?? '').startsWith('warning')) return null;
      // A dispute's withdrawal is booked once; when it already is, this event takes nothing more.
      const booked = await q.listBookedObjects(trx, deps.provider.name, [id]);
      const currency = currencyOf(o.currency);
      return weigh(deps, trx, o, booked.has(id) ? [] : [{ amount, currency }], currency);
    }
    default:
      return null;
  }
}

/** Checks money taken back from the payment behind `charge` against what is left of it. */
async function weigh(
  deps: SupportDeps,
  trx: Kysely<Database>,
  charge: Obj,
  takes: { amount: number; currency: string }[],
  currency?: string,
): Promise<RejectionReason | null> {
  const currencies = [...takes.map((t) => t.currency), ...(currency === undefined ? [] : [currency])];
  if (!currencies.every(isCurrency)) return 'SUPPORT_CURRENCY_NOT_TAKEN';
  const original = await originalPayment(deps, trx, charge);
  if (!original) return null;
  if (currencies.some((c) => c !== original.currency)) return 'SUPPORT_CURRENCY_MISMATCH';
  const left = original.amount + (await q.sumAdjustments(trx, deps.provider.name, original.provider_object_id, null));
  const taken = takes.reduce((sum, t) => sum + t.amount, 0);
  return taken > left ? 'SUPPORT_EXCEEDS_PAYMENT' : null;
}

async function effects(
  deps: SupportDeps,
  trx: Kysely<Database>,
  settings: Settings,
  e: ProviderEvent,
  f: Fetched,
  now: string,
): Promise<void> {
  const provider = deps.provider.name;
  const o = e.object;
  const occurredAt = toDbTime(new Date(e.created * 1000));
  const supporter = async (customerId: string | null, email: string | null) =>
    customerId ? q.upsertSupporter(trx, { provider, customerId, email: email?.toLowerCase() ?? null, now }) : null;
  const plan = async (supporterId: number | null) => {
    const s = f.subscription;
    if (!s) return null;
    const sid = supporterId ?? (await supporter(s.customerId, null));
    return q.upsertPlan(trx, {
      provider,
      subscriptionId: s.id,
      supporterId: sid,
      status: s.status,
      frequency: s.frequency,
      amount: s.amount,
      currency: s.currency,
      nextRenewalAt: s.status === 'canceled' ? null : secondsToDb(s.currentPeriodEnd),
      canceledAt: s.status === 'canceled' ? (secondsToDb(s.canceledAt) ?? occurredAt) : null,
      now: f.fetchedAt,
    });
  };
  const pay = async (p: {
    objectId: string;
    supporterId: number | null;
    planId: number | null;
    frequency: SupportFrequency;
    amount: number;
    currency: string;
    email: string | null;
  }) => {
    await q.lockPaymentRef(trx, deps.db.dialect, p.objectId);
    const inserted = await q.insertPayment(trx, {
      provider,
      objectId: p.objectId,
      kind: 'payment',
      supporterId: p.supporterId,
      planId: p.planId,
      frequency: p.frequency,
      amount: p.amount,
      currency: p.currency,
      paymentRef: p.objectId,
      occurredAt,
      now,
    });
    if (inserted)
      await q.adoptOrphans(trx, provider, p.objectId, {
        supporterId: p.supporterId,
        planId: p.planId,
        frequency: p.frequency,
      });
    if (inserted && p.email) {
      const msg = receiptMessage(settings, p.email, {
        amount: p.amount,
        currency: p.currency,
        frequency: p.frequency,
        occurredAt,
        reference: p.objectId,
        testMode: deps.provider.testMode,
      });
      await enqueueMail(deps, msg, { trx });
    }
  };

  switch (e.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed': {
      const email = str(obj(o.customer_details)?.email) ?? str(o.customer_email);
      const sid = await supporter(idOf(o.customer), email);
      const attempt = str(obj(o.metadata)?.attempt) ?? str(o.client_reference_id);
      const paid = str(o.payment_status) === 'paid' || str(o.payment_status) === 'no_payment_required';
      if (attempt) {
        if (e.type === 'checkout.session.async_payment_failed') await q.setAttemptStatus(trx, attempt, 'failed', now);
        else if (paid) await q.setAttemptStatus(trx, attempt, 'completed', now);
      }
      if (str(o.mode) === 'subscription') {
        await plan(sid);
      } else if (paid && e.type !== 'checkout.session.async_payment_failed') {
        const amount = int(o.amount_total);
        const objectId = idOf(o.payment_intent) ?? str(o.id);
        if (amount && amount > 0 && objectId) {
          await pay({
            objectId,
            supporterId: sid,
            planId: null,
            frequency: 'once',
            amount,
            currency: (str(o.currency) ?? '').toUpperCase(),
            email,
          });
        }
      }
      return;
    }
    case 'invoice.paid': {
      const amount = int(o.amount_paid);
      const email = str(o.customer_email);
      const sid = await supporter(idOf(o.customer), email);
      const planId = await plan(sid);
      const objectId = invoicePaymentIntent(o) ?? str(o.id);
      if (amount && amount > 0 && objectId) {
        await pay({
          objectId,
          supporterId: sid,
          planId,
          frequency: f.subscription?.frequency ?? 'month',
          amount,
          currency: (str(o.currency) ?? '').toUpperCase(),
          email: (await emailOf(trx, sid)) ?? email,
        });
      }
      return;
    }
    case 'invoice.payment_failed':
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      await plan(await supporter(idOf(o.customer), str(o.customer_email)));
      return;
    }
    case 'charge.refunded': {
      const original = await originalPayment(deps, trx, o);
      for (const r of f.refunds) {
        if (r.status !== 'succeeded' || r.amount <= 0) continue;
        await q.insertPayment(trx, {
          provider,
          objectId: r.id,
          kind: 'refund',
          supporterId: original?.supporter_id ?? null,
          planId: original?.plan_id ?? null,
          frequency: original?.frequency ?? 'once',
          amount: -r.amount,
          currency: r.currency.toUpperCase(),
          paymentRef: idOf(o.payment_intent),
          occurredAt: toDbTime(new Date(r.created * 1000)),
          now,
        });
      }
      return;
    }
    case 'charge.dispute.created':
    case 'charge.dispute.closed': {
      const id = str(o.id);
      const amount = int(o.amount);
      const status = str(o.status) ?? '';
      // Inquiries (warning_*) move no money.
      if (!id || !amount || status.startsWith('warning')) return;
      const original = await originalPayment(deps, trx, o);
      const base = {
        provider,
        objectId: id,
        paymentRef: idOf(o.payment_intent),
        supporterId: original?.supporter_id ?? null,
        planId: original?.plan_id ?? null,
        frequency: original?.frequency ?? ('once' as const),
        currency: (str(o.currency) ?? '').toUpperCase(),
        occurredAt,
        now,
      };
      // The withdrawal happened when the dispute opened, even if that event never came.
      await q.insertPayment(trx, { ...base, kind: 'dispute', amount: -amount });
      if (e.type === 'charge.dispute.closed' && status === 'won')
        await q.insertPayment(trx, { ...base, kind: 'dispute_won', amount });
      return;
    }
  }
}

async function emailOf(trx: Kysely<Database>, supporterId: number | null): Promise<string | null> {
  if (supporterId === null) return null;
  return (await q.findSupporterById(trx, supporterId))?.email ?? null;
}

async function originalPayment(deps: SupportDeps, trx: Kysely<Database>, charge: Obj) {
  const pi = idOf(charge.payment_intent);
  if (!pi) return null;
  await q.lockPaymentRef(trx, deps.db.dialect, pi);
  return q.findPayment(trx, deps.provider.name, pi, 'payment');
}
