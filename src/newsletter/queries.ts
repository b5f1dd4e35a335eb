import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, SubscriberStatus, SubscribersTable } from '#db';

type K = Kysely<Database>;

export type SubscriberRow = Selectable<SubscribersTable>;

// ---- subscribers ----

export async function findSubscriberByEmail(db: K, email: string): Promise<SubscriberRow | null> {
  return (await db.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst()) ?? null;
}

export async function findSubscriberById(db: K, id: number): Promise<SubscriberRow | null> {
  return (await db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Inserts a pending subscriber, or returns null when the address already exists (a concurrent signup). */
export async function insertPendingSubscriber(
  db: K,
  s: { email: string; consentAt: string; policyVersion: number | null; source: string | null; now: string },
): Promise<number | null> {
  const r = await db
    .insertInto('subscribers')
    .values({
      email: s.email,
      status: 'pending',
      consent_at: s.consentAt,
      policy_version: s.policyVersion,
      source: s.source,
      created_at: s.now,
      updated_at: s.now,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

export async function recordConsent(
  db: K,
  id: number,
  c: { consentAt: string; policyVersion: number | null; source: string | null },
): Promise<void> {
  await db
    .updateTable('subscribers')
    .set({ consent_at: c.consentAt, policy_version: c.policyVersion, source: c.source, updated_at: c.consentAt })
    .where('id', '=', id)
    .execute();
}

/** Moves a subscriber between statuses; only from the listed ones. Returns whether a row changed. */
export async function setStatus(
  db: K,
  id: number,
  from: SubscriberStatus[],
  to: SubscriberStatus,
  now: string,
  extra: { confirmed_at?: string; unsubscribed_at?: string | null } = {},
): Promise<boolean> {
  const r = await db
    .updateTable('subscribers')
    .set({ status: to, updated_at: now, ...extra })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteSubscriber(db: K, id: number): Promise<boolean> {
  await db.deleteFrom('subscriber_tokens').where('subscriber_id', '=', id).execute();
  const r = await db.deleteFrom('subscribers').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Deletes pending subscribers last touched before `before`, with their tokens; returns how many. */
export async function deletePendingBefore(db: K, before: string): Promise<number> {
  const stale = db
    .selectFrom('subscribers')
    .select('id')
    .where('status', '=', 'pending')
    .where('updated_at', '<', before);
  await db.deleteFrom('subscriber_tokens').where('subscriber_id', 'in', stale).execute();
  const r = await db
    .deleteFrom('subscribers')
    .where('status', '=', 'pending')
    .where('updated_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The edition most recently sent to a subscriber, if any. */
export async function lastEditionSentTo(db: K, subscriberId: number): Promise<number | null> {
  const r = await db
    .selectFrom('deliveries')
    .select('edition_id')
    .where('subscriber_id', '=', subscriberId)
    .where('status', '=', 'sent')
    .orderBy('sent_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.edition_id ?? null;
}

// ---- tokens ----

export async function insertToken(
  db: K,
  t: { hash: string; subscriberId: number; purpose: string; expiresAt: string; now: string },
): Promise<void> {
  await db
    .insertInto('subscriber_tokens')
    .values({
      token_hash: t.hash,
      subscriber_id: t.subscriberId,
      purpose: t.purpose,
      expires_at: t.expiresAt,
      created_at: t.now,
    })
    .execute();
}

export async function findToken(
  db: K,
  hash: string,
): Promise<{ subscriber_id: number; purpose: string; expires_at: string } | null> {
  return (
    (await db
      .selectFrom('subscriber_tokens')
      .select(['subscriber_id', 'purpose', 'expires_at'])
      .where('token_hash', '=', hash)
      .executeTakeFirst()) ?? null
  );
}

/** Deletes a token and returns what it held: the delete is what makes it single-use, even under concurrent use. */
export async function takeToken(
  db: K,
  hash: string,
): Promise<{ subscriber_id: number; purpose: string; expires_at: string } | null> {
  return (
    (await db
      .deleteFrom('subscriber_tokens')
      .where('token_hash', '=', hash)
      .returning(['subscriber_id', 'purpose', 'expires_at'])
      .executeTakeFirst()) ?? null
  );
}

export async function deleteExpiredTokens(db: K, now: string): Promise<void> {
  await db.deleteFrom('subscriber_tokens').where('expires_at', '<', now).execute();
}

// ---- secrets ----

/** The secret under `key`, created with `fresh` if there is none yet (first writer wins across processes). */
export async function ensureSecret(db: K, key: string, fresh: string, now: string): Promise<string> {
  await db
    .insertInto('secrets')
    .values({ key, value: fresh, created_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await db.selectFrom('secrets').select('value').where('key', '=', key).executeTakeFirstOrThrow()).value;
}

// ---- throttle ----

/** Counts one event for `key` in a fixed window and returns the count so far (an atomic upsert). */
export async function bumpThrottle(db: K, key: string, now: string, windowStartIfNew: string): Promise<number> {
  const r = await db
    .insertInto('newsletter_throttle')
    .values({ key, window_start: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql`case when newsletter_throttle.window_start < ${windowStartIfNew} then 1 else newsletter_throttle.count + 1 end`,
        window_start: sql`case when newsletter_throttle.window_start < ${windowStartIfNew} then ${now} else newsletter_throttle.window_start end`,
      }),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return r.count;
}

export async function deleteThrottleBefore(db: K, before: string): Promise<void> {
  await db.deleteFrom('newsletter_throttle').where('window_start', '<', before).execute();
}
