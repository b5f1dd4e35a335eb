import { sql } from 'kysely';
import { columnTypes, type Migration } from './types.ts';

export const initial: Migration = {
  id: '0001-initial',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    const exec = (q: string) => sql.raw(q).execute(db);

    await exec(`create table settings (key text primary key, value ${t.json} not null, updated_at ${t.time} not null)`);
    await exec(
      `create table site_state (id integer primary key, content_version integer not null, content_changed_at ${t.time} not null)`,
    );
    await exec(
      `insert into site_state (id, content_version, content_changed_at) values (1, 1, '2000-01-01T00:00:00.000Z')`,
    );

    await exec(`create table media (
      id ${t.id},
      storage_key text not null unique,
      original_name text not null,
      width integer not null,
      height integer not null,
      bytes integer not null,
      alt text not null default '',
      caption text not null default '',
      credit text not null default '',
      variants ${t.json} not null,
      created_at ${t.time} not null)`);

    await exec(`create table authors (
      id ${t.id},
      slug text not null unique,
      name text not null,
      role text not null default '',
      bio text not null default '',
      photo_media_id integer references media (id) on delete set null,
      created_at ${t.time} not null,
      updated_at ${t.time} not null)`);

    await exec(`create table sections (
      id ${t.id},
      slug text not null unique,
      name text not null,
      description text not null default '',
      position integer not null default 0)`);

    await exec(`create table tags (id ${t.id}, slug text not null unique, name text not null)`);

    await exec(`create table articles (
      id ${t.id},
      slug text not null unique,
      headline text not null,
      standfirst text not null default '',
      body_markdown text not null default '',
      body_html text not null default '',
      body_text text not null default '',
      lead_media_id integer references media (id) on delete set null,
      lead_alt text not null default '',
      lead_caption text not null default '',
      lead_credit text not null default '',
      section_id integer references sections (id) on delete set null,
      language text not null default 'en',
      status text not null check (status in ('draft', 'scheduled', 'published', 'unpublished')),
      published_at ${t.time},
      updated_at ${t.time},
      created_at ${t.time} not null,
      modified_at ${t.time} not null)`);
    await exec(`create index articles_status_published on articles (status, published_at)`);
    await exec(`create index articles_section on articles (section_id, status, published_at)`);

    await exec(`create table article_authors (
      article_id integer not null references articles (id) on delete cascade,
      author_id integer not null references authors (id) on delete cascade,
      position integer not null default 0,
      primary key (article_id, author_id))`);
    await exec(`create index article_authors_author on article_authors (author_id)`);

    await exec(`create table article_tags (
      article_id integer not null references articles (id) on delete cascade,
      tag_id integer not null references tags (id) on delete cascade,
      primary key (article_id, tag_id))`);
    await exec(`create index article_tags_tag on article_tags (tag_id)`);

    // Full-text search: an FTS5 table kept in step by the articles queries on SQLite, a
    // generated tsvector column on PostgreSQL.
    if (dialect === 'sqlite') {
      await exec(
        `create virtual table articles_fts using fts5(headline, standfirst, body, tokenize = 'porter unicode61 remove_diacritics 2')`,
      );
    } else {
      await exec(`alter table articles add column search_vector tsvector generated always as (
        setweight(to_tsvector('english', headline), 'A') ||
        setweight(to_tsvector('english', standfirst), 'B') ||
        setweight(to_tsvector('english', body_text), 'C')) stored`);
      await exec(`create index articles_search on articles using gin (search_vector)`);
    }
  },
};
