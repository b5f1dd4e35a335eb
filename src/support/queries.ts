import { sql, type Kysely } from 'kysely';
import type { Database, PaymentKind, PlanStatus, SupportFrequency } from '#db';

type K = Kysely<Database>;

// ---- events ----

/** Records an event as applied; false if it already was (the caller then does nothing). */
export async function claimEvent(
  db: K,
  e: { provider: string; eventId: string; type: string; now: string },
): Promise<boolean> {
  const r = await db
    .insertInto('processed_events')
    .values({ provider: e.provider, event_id: e.eventId, type: e.type, processed_at: e.now })
    .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function isEventProcessed(db: K, provider: string, eventId: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('processed_events')
      .select('event_id')
      .where('provider', '=', provider)
      .where('event_id', '=', eventId)
      .executeTakeFirst()) !== undefined
  );
}

/** Records why a signed event was refused; the caller claims the event id in the same transaction. */
export async function insertRejection(
  db: K,
  r: { provider: string; eventId: string; type: string; reason: string; now: string },
): Promise<void> {
  await db
    .insertInto('support_rejections')
    .values({ provider: r.provider, event_id: r.eventId, type: r.type, reason: r.reason, rejected_at: r.now })
    .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
    .execute();
}

export async function findRejection(db: K, provider: string, eventId: string) {
  return (
    (await db
      .selectFrom('support_rejections')
      .selectAll()
      .where('provider', '=', provider)
      .where('event_id', '=', eventId)
      .executeTakeFirst()) ?? null
  );
}

/**
 * The refunds and disputes already booked against a payment (negative sums take money
 * back; a won dispute gives it back), leaving out one object, such as a dispute whose own
 * withdrawal is already booked.
 */
export async function sumAdjustments(db: K, provider: string, paymentRef: string, except: string | null) {
  let query = db
    .selectFrom('payments')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('amount'), eb.lit(0)).as('total'))
    .where('provider', '=', provider)
    .where('payment_ref', '=', paymentRef)
    .where('kind', '!=', 'payment');
  if (except !== null) query = query.where('provider_object_id', '!=', except);
  const r = await query.executeTakeFirstOrThrow();
  return Number(r.total);
}

/** Which of these refund or dispute ids are booked already. */
export async function listBookedObjects(db: K, provider: string, objectIds: readonly string[]): Promise<Set<string>> {
  if (objectIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('payments')
    .select('provider_object_id')
    .where('provider', '=', provider)
    .where('provider_object_id', 'in', objectIds)
    .where('kind', '!=', 'payment')
    .execute();
  return new Set(rows.map((r) => r.provider_object_id));
}

// ---- supporters ----

/**
 * The supporter for a provider customer, created on first sight. An address fills a
 * missing one; an erased supporter never gets one back.
 */
export async function upsertSupporter(
  db: K,
  s: { provider: string; customerId: string; email: string | null; now: string },
): Promise<number> {
  const r = await db
    .insertInto('supporters')
    .values({
      provider: s.provider,
      provider_customer_id: s.customerId,
      email: s.email,
      created_at: s.now,
      erased_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['provider', 'provider_customer_id']).doUpdateSet({
        email: sql<
          string | null
        >`case when supporters.erased_at is null then coalesce(excluded.email, supporters.email) else null end`,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findSupporterById(db: K, id: number) {
  return (await db.selectFrom('supporters').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function listSupportersByEmail(db: K, email: string) {
  return db.selectFrom('supporters').selectAll().where('email', '=', email).where('erased_at', 'is', null).execute();
}

export async function eraseSupporter(db: K, id: number, now: string): Promise<void> {
  await db.updateTable('supporters').set({ email: null, erased_at: now }).where('id', '=', id).execute();
  await db.deleteFrom('support_tokens').where('supporter_id', '=', id).execute();
}

// ---- plans ----

export interface PlanWrite {
  provider: string;
  subscriptionId: string;
  supporterId: number | null;
  status: PlanStatus;
  frequency: 'month' | 'year';
  amount: number;
  currency: string;
  nextRenewalAt: string | null;
  canceledAt: string | null;
  now: string;
}

/**
 * Writes the provider's view of a subscription, fetched at `now`: inserted, or overwriting a
 * view fetched earlier. A view fetched before the stored one (two events applied out of
 * order at the same moment) is dropped, so the newest view always wins.
 */
export async function upsertPlan(db: K, p: PlanWrite): Promise<number> {
  const r = await db
    .insertInto('recurring_plans')
    .values({
      provider: p.provider,
      provider_subscription_id: p.subscriptionId,
      supporter_id: p.supporterId,
      status: p.status,
      frequency: p.frequency,
      amount: p.amount,
      currency: p.currency,
      next_renewal_at: p.nextRenewalAt,
      canceled_at: p.canceledAt,
      created_at: p.now,
      updated_at: p.now,
    })
    .onConflict((oc) =>
      oc
        .columns(['provider', 'provider_subscription_id'])
        .doUpdateSet({
          supporter_id: sql<number | null>`coalesce(excluded.supporter_id, recurring_plans.supporter_id)`,
          status: sql<PlanStatus>`excluded.status`,
          frequency: sql<'month' | 'year'>`excluded.frequency`,
          amount: sql<number>`excluded.amount`,
          currency: sql<string>`excluded.currency`,
          next_renewal_at: sql<string | null>`excluded.next_renewal_at`,
          canceled_at: sql<string | null>`excluded.canceled_at`,
          updated_at: sql<string>`excluded.updated_at`,
        })
        .where('recurring_plans.updated_at', '<=', sql<string>`excluded.updated_at`),
    )
    .returning('id')
    .executeTakeFirst();
  if (r) return r.id;
  const existing = await db
    .selectFrom('recurring_plans')
    .select('id')
    .where('provider', '=', p.provider)
    .where('provider_subscription_id', '=', p.subscriptionId)
    .executeTakeFirstOrThrow();
  return existing.id;
}

export async function findPlanById(db: K, id: number) {
  return (await db.selectFrom('recurring_plans').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function listPlansOfSupporter(db: K, supporterId: number) {
  return db.selectFrom('recurring_plans').selectAll().where('supporter_id', '=', supporterId).orderBy('id').execute();
}

// ---- payments ----

export interface PaymentWrite {
  provider: string;
  objectId: string;
  kind: PaymentKind;
  supporterId: number | null;
  planId: number | null;
  frequency: SupportFrequency;
  amount: number;
  currency: string;
  paymentRef: string | null;
  occurredAt: string;
  now: string;
}

/** Adds one money movement unless its (provider, object, kind) is already in the ledger. */
export async function insertPayment(db: K, p: PaymentWrite): Promise<boolean> {
  const r = await db
    .insertInto('payments')
    .values({
      provider: p.provider,
      provider_object_id: p.objectId,
      kind: p.kind,
      supporter_id: p.supporterId,
      plan_id: p.planId,
      frequency: p.frequency,
      amount: p.amount,
      currency: p.currency,
      payment_ref: p.paymentRef,
      occurred_at: p.occurredAt,
      created_at: p.now,
    })
    .onConflict((oc) => oc.columns(['provider', 'provider_object_id', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * Serialises the transactions that touch one payment's movements (its payment, refunds and
 * disputes) on PostgreSQL, so a refund and its payment applied at the same moment still see
 * each other. SQLite runs one write transaction at a time anyway.
 */
export async function lockPaymentRef(db: K, dialect: 'sqlite' | 'postgres', ref: string): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(727100, hashtext(${ref}))`.execute(db);
}

/** Links refunds and disputes that arrived before their payment to its supporter and plan. */
export async function adoptOrphans(
  db: K,
  provider: string,
  paymentRef: string,
  p: { supporterId: number | null; planId: number | null; frequency: SupportFrequency },
): Promise<void> {
  await db
    .updateTable('payments')
    .set({ supporter_id: p.supporterId, plan_id: p.planId, frequency: p.frequency })
    .where('provider', '=', provider)
    .where('payment_ref', '=', paymentRef)
    .where('kind', '!=', 'payment')
    .where('supporter_id', 'is', null)
    .execute();
}

export async function findPayment(db: K, provider: string, objectId: string, kind: PaymentKind) {
  return (
    (await db
      .selectFrom('payments')
      .selectAll()
      .where('provider', '=', provider)
      .where('provider_object_id', '=', objectId)
      .where('kind', '=', kind)
      .executeTakeFirst()) ?? null
  );
}

export async function listPaymentsOfSupporter(db: K, supporterId: number, from: string, to: string) {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('supporter_id', '=', supporterId)
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<', to)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}

// ---- checkout attempts ----

export async function insertAttempt(
  db: K,
  a: { publicId: string; provider: string; frequency: SupportFrequency; amount: number; currency: string; now: string },
): Promise<number> {
  const r = await db
    .insertInto('checkout_attempts')
    .values({
      public_id: a.publicId,
      provider: a.provider,
      frequency: a.frequency,
      amount: a.amount,
      currency: a.currency,
      status: 'created',
      provider_session_id: null,
      created_at: a.now,
      updated_at: a.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function markAttemptRedirected(db: K, publicId: string, sessionId: string, now: string): Promise<void> {
  await db
    .updateTable('checkout_attempts')
    .set({ status: 'redirected', provider_session_id: sessionId, updated_at: now })
    .where('public_id', '=', publicId)
    .where('status', '=', 'created')
    .execute();
}

/** Moves an attempt forward; completed is final. */
export async function setAttemptStatus(
  db: K,
  publicId: string,
  status: 'completed' | 'failed',
  now: string,
): Promise<void> {
  await db
    .updateTable('checkout_attempts')
    .set({ status, updated_at: now })
    .where('public_id', '=', publicId)
    .where('status', '!=', 'completed')
    .execute();
}

export async function findAttempt(db: K, publicId: string) {
  return (
    (await db.selectFrom('checkout_attempts').selectAll().where('public_id', '=', publicId).executeTakeFirst()) ?? null
  );
}

// ---- tokens ----

export async function insertToken(
  db: K,
  t: { hash: string; supporterId: number; purpose: 'link' | 'session'; expiresAt: string; now: string },
): Promise<void> {
  await db
    .insertInto('support_tokens')
    .values({
      token_hash: t.hash,
      supporter_id: t.supporterId,
      purpose: t.purpose,
      expires_at: t.expiresAt,
      created_at: t.now,
    })
    .execute();
}

/** Deletes and returns a token (single use). */
export async function takeToken(db: K, hash: string) {
  return (
    (await db.deleteFrom('support_tokens').where('token_hash', '=', hash).returningAll().executeTakeFirst()) ?? null
  );
}

export async function findToken(db: K, hash: string) {
  return (await db.selectFrom('support_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst()) ?? null;
}

export async function deleteExpiredTokens(db: K, now: string): Promise<void> {
  await db.deleteFrom('support_tokens').where('expires_at', '<=', now).execute();
}

// ---- throttle ----

/** Counts one event for `key` in a fixed window and returns the count so far (an atomic upsert). */
export async function bumpThrottle(db: K, key: string, now: string, windowStartIfNew: string): Promise<number> {
  const r = await db
    .insertInto('support_throttle')
    .values({ key, window_start: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when support_throttle.window_start < ${windowStartIfNew} then 1 else support_throttle.count + 1 end`,
        window_start: sql<string>`case when support_throttle.window_start < ${windowStartIfNew} then ${now} else support_throttle.window_start end`,
      }),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return r.count;
}

export async function deleteThrottleBefore(db: K, before: string): Promise<void> {
  await db.deleteFrom('support_throttle').where('window_start', '<', before).execute();
}

// ---- reminders ----

export async function insertReminder(db: K, r: { email: string; month: string; now: string }): Promise<number> {
  const row = await db
    .insertInto('support_reminders')
    .values({ email: r.email, month: r.month, created_at: r.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findReminder(db: K, id: number) {
  return (await db.selectFrom('support_reminders').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function deleteReminder(db: K, id: number): Promise<void> {
  await db.deleteFrom('support_reminders').where('id', '=', id).execute();
}

export async function deleteRemindersByEmail(db: K, email: string): Promise<void> {
  await db.deleteFrom('support_reminders').where('email', '=', email).execute();
}
