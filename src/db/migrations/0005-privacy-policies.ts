import { sql } from 'kysely';
import { columnTypes, type Migration } from './types.ts';

export const privacyPolicies: Migration = {
  id: '0005-privacy-policies',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    // Append only: each published text is a new row with the next version, so whatever a
    // reader agreed to (recorded as a version number) can always be shown again.
    await sql
      .raw(
        `create table privacy_policies (
      id ${t.id},
      version integer not null unique check (version > 0),
      body_markdown text not null,
      body_html text not null,
      published_at ${t.time} not null,
      created_by integer references staff (id) on delete set null)`,
      )
      .execute(db);
  },
};
