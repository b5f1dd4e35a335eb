import { sql } from 'kysely';
import { columnTypes, type Migration } from './types.ts';

export const editions: Migration = {
  id: '0008-editions',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    const exec = (q: string) => sql.raw(q).execute(db);
    // One weekly edition. The rendered HTML and text are made once, when the edition is
    // fixed for sending, and personalised per recipient by substituting placeholders.
    // auto_friday is the local date of the Friday an automatic draft was made for: unique,
    // so two workers starting sends at once still make one draft per Friday.
    await exec(`create table editions (
      id ${t.id},
      status text not null check (status in ('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled')),
      slug text unique,
      subject text not null,
      preheader text not null,
      intro text not null,
      sign_off text not null,
      scheduled_for ${t.time},
      auto_friday text unique,
      rendered_html text,
      rendered_text text,
      audience_fixed_at ${t.time},
      recipient_count integer not null default 0,
      started_at ${t.time},
      sent_at ${t.time},
      created_by integer references staff (id) on delete set null,
      created_at ${t.time} not null,
      updated_at ${t.time} not null)`);
    await exec(`create index editions_status on editions (status, scheduled_for)`);
    await exec(`create index editions_sent on editions (sent_at)`);
    // The hand-picked items, in order: an article with an editor's blurb, or a section heading.
    await exec(`create table edition_items (
      id ${t.id},
      edition_id integer not null references editions (id) on delete cascade,
      position integer not null,
      kind text not null check (kind in ('article', 'heading')),
      article_id integer references articles (id) on delete cascade,
      heading text not null default '',
      blurb text not null default '',
      check ((kind = 'article') = (article_id is not null)))`);
    await exec(`create index edition_items_edition on edition_items (edition_id, position)`);
    // One durable record per (edition, subscriber), written when the audience is fixed.
    // The Message-ID is decided here, so a message sent again after a crash carries the same
    // one. A row is claimed with a lease; an expired lease is claimed again.
    await exec(`create table deliveries (
      id ${t.id},
      edition_id integer not null references editions (id) on delete cascade,
      subscriber_id integer references subscribers (id) on delete set null,
      status text not null check (status in ('queued', 'sending', 'sent', 'failed', 'skipped')),
      message_id text not null unique,
      attempts integer not null default 0,
      next_attempt_at ${t.time} not null,
      lease_until ${t.time},
      last_error text,
      sent_at ${t.time},
      unique (edition_id, subscriber_id))`);
    await exec(`create index deliveries_work on deliveries (edition_id, status, next_attempt_at)`);
    await exec(`create index deliveries_subscriber on deliveries (subscriber_id)`);
    // What happened to subscribers over time, for the audience dashboard. subscriber_id is
    // cleared on erasure, so the history stays as anonymous counts.
    await exec(`create table subscriber_events (
      id ${t.id},
      subscriber_id integer references subscribers (id) on delete set null,
      kind text not null check (kind in ('confirmed', 'unsubscribed', 'resubscribed', 'bounced', 'soft_bounced', 'complained', 'erased')),
      edition_id integer references editions (id) on delete set null,
      detail text not null default '',
      created_at ${t.time} not null)`);
    await exec(`create index subscriber_events_time on subscriber_events (created_at, kind)`);
    await exec(`create index subscriber_events_subscriber on subscriber_events (subscriber_id, kind, created_at)`);
    await exec(`create index subscriber_events_edition on subscriber_events (edition_id, kind)`);
  },
};
