import { sql } from 'kysely';
import type { Migration } from './types.ts';

export const mediaOwner: Migration = {
  id: '0010-media-owner',
  async up(db) {
    // Who uploaded an image, so contributors and authors edit the words of their own images
    // only. Images uploaded before this column have no owner: editors and above edit those.
    await sql
      .raw(`alter table media add column uploaded_by integer references staff (id) on delete set null`)
      .execute(db);
  },
};
