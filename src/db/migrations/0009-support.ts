import { sql } from 'kysely';
import { columnTypes, type Migration } from './types.ts';

/**
 * Reader support: supporters, the money ledger, recurring plans, processed webhook events,
 * checkout attempts, magic-link tokens and reminders. Money is integer minor units plus an
 * ISO 4217 code. No names, postal addresses or IPs anywhere (DESIGN.md §3).
 */
export const support: Migration = {
  id: '0009-support',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    const exec = (q: string) => sql.raw(q).execute(db);
    // One row per provider customer. The email is there for receipts and magic links only
    // and becomes null on erasure; the row itself stays so accounting rows keep a key.
    await exec(`create table supporters (
      id ${t.id},
      provider text not null,
      provider_customer_id text not null,
      email text,
      created_at ${t.time} not null,
      erased_at ${t.time},
      unique (provider, provider_customer_id))`);
    await exec(`create index supporters_email on supporters (email)`);
    // A subscription at the provider, mirrored: its state is always re-fetched, never inferred.
    await exec(`create table recurring_plans (
      id ${t.id},
      provider text not null,
      provider_subscription_id text not null,
      supporter_id integer references supporters (id),
      status text not null check (status in ('incomplete', 'active', 'past_due', 'canceled', 'unpaid', 'paused')),
      frequency text not null check (frequency in ('month', 'year')),
      amount integer not null check (amount > 0),
      currency text not null,
      next_renewal_at ${t.time},
      canceled_at ${t.time},
      created_at ${t.time} not null,
      updated_at ${t.time} not null,
      unique (provider, provider_subscription_id))`);
    await exec(`create index recurring_plans_supporter on recurring_plans (supporter_id)`);
    // The ledger: one row per money movement. Payments are positive, refunds and disputes
    // negative, a won dispute positive again. (provider, provider_object_id, kind) is the
    // natural key that makes every webhook effect happen once.
    await exec(`create table payments (
      id ${t.id},
      provider text not null,
      provider_object_id text not null,
      kind text not null check (kind in ('payment', 'refund', 'dispute', 'dispute_won')),
      supporter_id integer references supporters (id),
      plan_id integer references recurring_plans (id),
      frequency text not null check (frequency in ('once', 'month', 'year')),
      amount integer not null,
      currency text not null,
      payment_ref text,
      occurred_at ${t.time} not null,
      created_at ${t.time} not null,
      unique (provider, provider_object_id, kind))`);
    // payment_ref: the payment intent a movement belongs to, so a refund or dispute that
    // arrives before its payment is linked to the supporter once the payment lands.
    await exec(`create index payments_ref on payments (payment_ref)`);
    await exec(`create index payments_occurred on payments (occurred_at)`);
    await exec(`create index payments_supporter on payments (supporter_id)`);
    // Webhook events already applied; inserted in the same transaction as their effect.
    await exec(`create table processed_events (
      provider text not null,
      event_id text not null,
      type text not null,
      processed_at ${t.time} not null,
      primary key (provider, event_id))`);
    // What a reader asked for before leaving for the hosted checkout. public_id names it in
    // URLs and derives the idempotency key of the provider call.
    await exec(`create table checkout_attempts (
      id ${t.id},
      public_id text not null unique,
      provider text not null,
      frequency text not null check (frequency in ('once', 'month', 'year')),
      amount integer not null check (amount > 0),
      currency text not null,
      status text not null check (status in ('created', 'redirected', 'completed', 'failed')),
      provider_session_id text,
      created_at ${t.time} not null,
      updated_at ${t.time} not null)`);
    await exec(`create index checkout_attempts_session on checkout_attempts (provider_session_id)`);
    // Magic links and the short manage sessions they open: SHA-256 hashes only.
    await exec(`create table support_tokens (
      token_hash text primary key,
      supporter_id integer not null references supporters (id) on delete cascade,
      purpose text not null check (purpose in ('link', 'session')),
      expires_at ${t.time} not null,
      created_at ${t.time} not null)`);
    await exec(`create index support_tokens_supporter on support_tokens (supporter_id)`);
    // "Remind me later" with an address: one mail in the chosen month, then the row goes.
    await exec(`create table support_reminders (
      id ${t.id},
      email text not null,
      month text not null,
      created_at ${t.time} not null)`);
    // Rate limits for checkout, magic links and reminders; keys are HMACs, never raw IPs.
    await exec(`create table support_throttle (
      key text primary key,
      window_start ${t.time} not null,
      count integer not null)`);
    // The built-in test provider's own records (sessions, customers, subscriptions, invoices,
    // events), kept apart from the ledger exactly as a real provider's would be.
    await exec(`create table support_test_objects (
      id text primary key,
      kind text not null,
      data ${t.text} not null,
      created_at ${t.time} not null,
      updated_at ${t.time} not null)`);
    // The appeal as editors configure it (copy, amounts, currencies, limits): one JSON row.
    await exec(`create table support_settings (
      key text primary key,
      value ${t.text} not null,
      updated_at ${t.time} not null)`);
    await exec(`create index support_test_objects_kind on support_test_objects (kind, created_at)`);
  },
};
