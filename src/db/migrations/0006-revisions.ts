import { sql } from 'kysely';
import { columnTypes, type Migration } from './types.ts';

export const revisions: Migration = {
  id: '0006-revisions',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    const exec = (q: string) => sql.raw(q).execute(db);
    // The words of an article as they were after each save, so any version can be compared
    // and brought back. Only the text is kept: sections, tags and images are not versioned.
    await exec(`create table article_revisions (
      id ${t.id},
      article_id integer not null references articles (id) on delete cascade,
      created_at ${t.time} not null,
      created_by integer references staff (id) on delete set null,
      headline text not null,
      standfirst text not null,
      body_markdown text not null,
      note text not null default '')`);
    await exec(`create index article_revisions_article on article_revisions (article_id, id)`);
    // Existing articles start their history with the text they have now.
    await exec(`insert into article_revisions (article_id, created_at, created_by, headline, standfirst, body_markdown, note)
      select id, modified_at, null, headline, standfirst, body_markdown, 'before history was kept' from articles`);
  },
};
