import { sql } from 'kysely';
import { columnTypes, type Migration } from './types.ts';

export const newsletter: Migration = {
  id: '0007-newsletter',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    const exec = (q: string) => sql.raw(q).execute(db);
    // One row per address (stored lower-case). Consent is recorded with the policy version
    // the reader saw and the page they signed up on; pending rows are purged after 7 days.
    await exec(`create table subscribers (
      id ${t.id},
      email text not null unique,
      status text not null check (status in ('pending', 'active', 'unsubscribed', 'bounced', 'complained')),
      consent_at ${t.time} not null,
      policy_version integer,
      source text,
      confirmed_at ${t.time},
      unsubscribed_at ${t.time},
      created_at ${t.time} not null,
      updated_at ${t.time} not null)`);
    await exec(`create index subscribers_status on subscribers (status, updated_at)`);
    // Single-use confirmation tokens, stored as SHA-256 hashes only.
    await exec(`create table subscriber_tokens (
      token_hash text primary key,
      subscriber_id integer not null references subscribers (id) on delete cascade,
      purpose text not null,
      expires_at ${t.time} not null,
      created_at ${t.time} not null)`);
    await exec(`create index subscriber_tokens_subscriber on subscriber_tokens (subscriber_id)`);
    // Server-side secrets generated on first use (HMAC keys), never shown in settings.
    await exec(`create table secrets (
      key text primary key,
      value text not null,
      created_at ${t.time} not null)`);
    // Signup throttling per network and per address (keys are HMACs, not raw IPs or addresses).
    await exec(`create table newsletter_throttle (
      key text primary key,
      window_start ${t.time} not null,
      count integer not null)`);
  },
};
