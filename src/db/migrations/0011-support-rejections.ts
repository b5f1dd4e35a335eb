import { sql } from 'kysely';
import { columnTypes, type Migration } from './types.ts';

/**
 * Correctly signed provider events the ledger refused (a currency we do not take, a refund
 * or dispute in another currency than its payment or larger than what is left of it). The
 * event id is also claimed in processed_events, in the same transaction, so a redelivery
 * changes nothing; this row says why, for the people reading the books.
 */
export const supportRejections: Migration = {
  id: '0011-support-rejections',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    await sql
      .raw(
        `create table support_rejections (
      provider text not null,
      event_id text not null,
      type text not null,
      reason text not null,
      rejected_at ${t.time} not null,
      primary key (provider, event_id))`,
      )
      .execute(db);
  },
};
