import { sql, type Kysely, type Selectable } from 'kysely';
import type { ArticlesTable, Database, DialectName, MediaTable } from '#db';
import { fromDbJson, isUniqueViolation } from '#db';
import { ConflictError } from '#lib/errors.ts';
import type { MediaVariant } from './images.ts';
import type { ArticleSummary, Author, AuthorRef, Image, Section, SectionRef, TagRef } from './types.ts';

type K = Kysely<Database>;
export type ArticleRow = Selectable<ArticlesTable>;

const SUMMARY_COLUMNS = [
  'id',
  'slug',
  'headline',
  'standfirst',
  'section_id',
  'lead_media_id',
  'lead_alt',
  'lead_caption',
  'lead_credit',
  'published_at',
  'updated_at',
] as const;
type SummaryRow = Pick<ArticleRow, (typeof SUMMARY_COLUMNS)[number]>;

// ---- writes ----------------------------------------------------------------------------

export async function insertArticle(
  db: K,
  row: Omit<ArticleRow, 'id' | 'created_by' | 'submitted_at'> &
    Partial<Pick<ArticleRow, 'created_by' | 'submitted_at'>>,
): Promise<number> {
  try {
    const r = await db.insertInto('articles').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError('ARTICLES_SLUG_TAKEN', `The slug "${row.slug}" is already used by another article.`, {
        cause: err,
      });
    throw err;
  }
}

export async function updateArticle(db: K, id: number, row: Partial<Omit<ArticleRow, 'id'>>): Promise<void> {
  try {
    await db.updateTable('articles').set(row).where('id', '=', id).execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError('ARTICLES_SLUG_TAKEN', 'That slug is already used by another article.', { cause: err });
    throw err;
  }
}

export async function setArticleAuthors(db: K, articleId: number, authorIds: number[]): Promise<void> {
  await db.deleteFrom('article_authors').where('article_id', '=', articleId).execute();
  if (authorIds.length === 0) return;
  await db
    .insertInto('article_authors')
    .values(authorIds.map((authorId, position) => ({ article_id: articleId, author_id: authorId, position })))
    .execute();
}

export async function setArticleTags(db: K, articleId: number, tagIds: number[]): Promise<void> {
  await db.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  if (tagIds.length === 0) return;
  await db
    .insertInto('article_tags')
    .values(tagIds.map((tagId) => ({ article_id: articleId, tag_id: tagId })))
    .execute();
}

/** Returns tag ids for the given tags, creating the missing ones. */
export async function ensureTags(db: K, tags: TagRef[]): Promise<number[]> {
  if (tags.length === 0) return [];
  await db
    .insertInto('tags')
    .values(tags.map((t) => ({ slug: t.slug, name: t.name })))
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  const rows = await db
    .selectFrom('tags')
    .select(['id', 'slug'])
    .where(
      'slug',
      'in',
      tags.map((t) => t.slug),
    )
    .execute();
  const bySlug = new Map(rows.map((r) => [r.slug, r.id]));
  return tags.map((t) => bySlug.get(t.slug)).filter((id): id is number => id !== undefined);
}

/** Keeps the SQLite FTS table in step with an article; PostgreSQL uses a generated column. */
export async function syncSearchIndex(
  db: K,
  dialect: DialectName,
  id: number,
  doc: { headline: string; standfirst: string; text: string } | null,
): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`delete from articles_fts where rowid = ${id}`.execute(db);
  if (doc) {
    await sql`insert into articles_fts (rowid, headline, standfirst, body) values (${id}, ${doc.headline}, ${doc.standfirst}, ${doc.text})`.execute(
      db,
    );
  }
}

export { bumpContentVersion } from '#db';

export async function getContentState(db: K): Promise<{ version: number; changedAt: string }> {
  const r = await db
    .selectFrom('site_state')
    .select(['content_version', 'content_changed_at'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { version: r.content_version, changedAt: r.content_changed_at };
}

// ---- reads ----------------------------------------------------------------------------

export async function findArticleRowBySlug(db: K, slug: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findArticleRowById(db: K, id: number): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countArticles(db: K): Promise<number> {
  const r = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface PublishedFilter {
  sectionId?: number;
  tagId?: number;
  authorId?: number;
  excludeIds?: number[];
}

function publishedQuery(db: K, f: PublishedFilter) {
  let q = db.selectFrom('articles').where('articles.status', '=', 'published');
  if (f.sectionId !== undefined) q = q.where('articles.section_id', '=', f.sectionId);
  if (f.tagId !== undefined) {
    const tagId = f.tagId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_tags')
          .select('article_id')
          .whereRef('article_tags.article_id', '=', 'articles.id')
          .where('article_tags.tag_id', '=', tagId),
      ),
    );
  }
  if (f.authorId !== undefined) {
    const authorId = f.authorId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_authors')
          .select('article_id')
          .whereRef('article_authors.article_id', '=', 'articles.id')
          .where('article_authors.author_id', '=', authorId),
      ),
    );
  }
  if (f.excludeIds && f.excludeIds.length > 0) q = q.where('articles.id', 'not in', f.excludeIds);
  return q;
}

export async function listPublishedRows(
  db: K,
  f: PublishedFilter,
  limit: number,
  offset: number,
): Promise<{ rows: SummaryRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    publishedQuery(db, f)
      .select(SUMMARY_COLUMNS.map((c) => `articles.${c}` as const))
      .orderBy('articles.published_at', 'desc')
      .orderBy('articles.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    publishedQuery(db, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Candidates scored for "Read more", per source: enough for good picks, bounded for big archives. */
const RELATED_POOL = { sharedTags: 300, sameSection: 100, latest: 20 };

/**
 * Related articles: shared tags weigh most, then the same section, then recency. Never the
 * article itself. Only a bounded pool is scored (the most recent articles sharing a tag, in
 * the section, and overall), so the cost does not grow with the size of the archive.
 */
export async function relatedRows(
  db: K,
  articleId: number,
  sectionId: number | null,
  limit: number,
): Promise<SummaryRow[]> {
  const sameSection =
    sectionId === null ? sql<number>`0` : sql<number>`case when a.section_id = ${sectionId} then 1 else 0 end`;
  const sectionPool =
    sectionId === null
      ? sql``
      : sql`union select id from (select id from articles where status = 'published' and section_id = ${sectionId} order by published_at desc limit ${RELATED_POOL.sameSection}) s`;
  const r = await sql<SummaryRow & { score: number }>`
    select a.id, a.slug, a.headline, a.standfirst, a.section_id, a.lead_media_id, a.lead_alt, a.lead_caption, a.lead_credit, a.published_at, a.updated_at,
      (select count(*) from article_tags t join article_tags mine on mine.tag_id = t.tag_id and mine.article_id = ${articleId}
        where t.article_id = a.id) * 3 + ${sameSection} * 2 as score
    from articles a
    where a.status = 'published' and a.id <> ${articleId} and a.id in (
      select id from (
        select distinct p.id, p.published_at from articles p join article_tags pt on pt.article_id = p.id
        where p.status = 'published' and pt.tag_id in (select tag_id from article_tags where article_id = ${articleId})
        order by p.published_at desc limit ${RELATED_POOL.sharedTags}) t
      ${sectionPool}
      union select id from (select id from articles where status = 'published' order by published_at desc limit ${RELATED_POOL.latest}) l)
    order by score desc, a.published_at desc, a.id desc
    limit ${limit}`.execute(db);
  return r.rows;
}

/**
 * Full-text search behind one interface: FTS5 on SQLite, tsvector on PostgreSQL. The query
 * text is never passed to either engine's query syntax as is.
 */
export async function searchRows(
  db: K,
  dialect: DialectName,
  query: string,
  limit: number,
  offset: number,
): Promise<{ rows: SummaryRow[]; total: number }> {
  const cols = sql.raw(SUMMARY_COLUMNS.map((c) => `a.${c}`).join(', '));
  if (dialect === 'sqlite') {
    const match = toFtsQuery(query);
    if (!match) return { rows: [], total: 0 };
    const rows = await sql<SummaryRow>`
      select ${cols} from articles_fts f join articles a on a.id = f.rowid
      where articles_fts match ${match} and a.status = 'published'
      order by bm25(articles_fts, 10.0, 4.0, 1.0), a.published_at desc
      limit ${limit} offset ${offset}`.execute(db);
    const total = await sql<{ n: number }>`
      select count(*) as n from articles_fts f join articles a on a.id = f.rowid
      where articles_fts match ${match} and a.status = 'published'`.execute(db);
    return { rows: rows.rows, total: Number(total.rows[0]?.n ?? 0) };
  }
  const tsquery = toTsQuery(query);
  if (!tsquery) return { rows: [], total: 0 };
  const rows = await sql<SummaryRow>`
    select ${cols} from articles a, to_tsquery('english', ${tsquery}) q
    where a.search_vector @@ q and a.status = 'published'
    order by ts_rank(a.search_vector, q) desc, a.published_at desc
    limit ${limit} offset ${offset}`.execute(db);
  const total = await sql<{ n: number }>`
    select count(*) as n from articles a where a.search_vector @@ to_tsquery('english', ${tsquery}) and a.status = 'published'`.execute(
    db,
  );
  return { rows: rows.rows, total: Number(total.rows[0]?.n ?? 0) };
}

// Both engines get the same meaning: every word required, the last one as a prefix (so
// results appear while a reader is still typing). Only letters and digits survive, so no
// reader text is ever read as query syntax.
function searchWords(input: string): string[] {
  return input.match(/[\p{L}\p{N}]+/gu)?.slice(0, 12) ?? [];
}

/** Reader text to an FTS5 query: each word quoted, all required, the last a prefix. */
export function toFtsQuery(input: string): string | null {
  const words = searchWords(input);
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** Reader text to a PostgreSQL tsquery with the same meaning as toFtsQuery. */
export function toTsQuery(input: string): string | null {
  const words = searchWords(input);
  if (words.length === 0) return null;
  return words.map((w, i) => `${w}${i === words.length - 1 ? ':*' : ''}`).join(' & ');
}

// ---- hydration: rows to the shapes pages use -------------------------------------------

function toImage(m: Selectable<MediaTable>, override?: { alt: string; caption: string; credit: string }): Image {
  return {
    mediaId: m.id,
    width: m.width,
    height: m.height,
    alt: override?.alt || m.alt,
    caption: override?.caption || m.caption,
    credit: override?.credit || m.credit,
    variants: fromDbJson<MediaVariant[]>(m.variants, []),
  };
}

export async function mediaByIds(db: K, ids: number[]): Promise<Map<number, Selectable<MediaTable>>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('media').selectAll().where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function summaries(db: K, rows: SummaryRow[]): Promise<ArticleSummary[]> {
  if (rows.length === 0) return [];
  const sectionRows = await db.selectFrom('sections').select(['id', 'slug', 'name']).execute();
  return summariesWithSections(db, rows, sectionMap(sectionRows));
}

/** Sections by id as summaries show them; built once per list of sections. */
const sectionMaps = new WeakMap<readonly Pick<Section, 'id' | 'slug' | 'name'>[], ReadonlyMap<number, SectionRef>>();
export function sectionMap(
  sections: readonly Pick<Section, 'id' | 'slug' | 'name'>[],
): ReadonlyMap<number, SectionRef> {
  let map = sectionMaps.get(sections);
  if (!map) {
    map = new Map(sections.map((s) => [s.id, { slug: s.slug, name: s.name }]));
    sectionMaps.set(sections, map);
  }
  return map;
}

/**
 * `summaries` for a caller that already holds every section (the public site loads them
 * once per content version): the same result, one query fewer.
 */
export async function summariesWithSections(
  db: K,
  rows: SummaryRow[],
  sections: ReadonlyMap<number, SectionRef>,
): Promise<ArticleSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [authorRows, media] = await Promise.all([
    db
      .selectFrom('article_authors')
      .innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .select(['article_authors.article_id', 'authors.slug', 'authors.name'])
      .where('article_authors.article_id', 'in', ids)
      .orderBy('article_authors.position')
      .execute(),
    mediaByIds(
      db,
      rows.map((r) => r.lead_media_id).filter((id): id is number => id !== null),
    ),
  ]);
  return buildSummaries(rows, sections, authorRefsByArticle(authorRows), media);
}

function authorRefsByArticle(
  authorRows: readonly { article_id: number; slug: string; name: string }[],
): Map<number, AuthorRef[]> {
  const authorsOf = new Map<number, AuthorRef[]>();
  for (const a of authorRows) {
    const list = authorsOf.get(a.article_id) ?? [];
    list.push({ slug: a.slug, name: a.name });
    authorsOf.set(a.article_id, list);
  }
  return authorsOf;
}

/** Summaries from rows and everything they refer to, already loaded. */
function buildSummaries(
  rows: readonly SummaryRow[],
  sections: ReadonlyMap<number, SectionRef>,
  authorsOf: ReadonlyMap<number, AuthorRef[]>,
  media: ReadonlyMap<number, Selectable<MediaTable>>,
): ArticleSummary[] {
  return rows.map((r) => {
    const m = r.lead_media_id === null ? undefined : media.get(r.lead_media_id);
    return {
      id: r.id,
      slug: r.slug,
      headline: r.headline,
      standfirst: r.standfirst,
      section: r.section_id === null ? null : (sections.get(r.section_id) ?? null),
      authors: authorsOf.get(r.id) ?? [],
      lead: m ? toImage(m, { alt: r.lead_alt, caption: r.lead_caption, credit: r.lead_credit }) : null,
      publishedAt: r.published_at,
      updatedAt: r.updated_at,
    };
  });
}

export async function articleTags(db: K, articleId: number): Promise<TagRef[]> {
  return db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(['tags.slug', 'tags.name'])
    .where('article_tags.article_id', '=', articleId)
    .orderBy('tags.name')
    .execute();
}

export async function articleAuthors(db: K, articleId: number): Promise<Author[]> {
  const rows = await db
    .selectFrom('article_authors')
    .innerJoin('authors', 'authors.id', 'article_authors.author_id')
    .select(['authors.id', 'authors.slug', 'authors.name', 'authors.role', 'authors.bio', 'authors.photo_media_id'])
    .where('article_authors.article_id', '=', articleId)
    .orderBy('article_authors.position')
    .execute();
  return hydrateAuthors(db, rows);
}

type AuthorRow = { id: number; slug: string; name: string; role: string; bio: string; photo_media_id: number | null };

async function hydrateAuthors(db: K, rows: AuthorRow[]): Promise<Author[]> {
  const media = await mediaByIds(
    db,
    rows.map((r) => r.photo_media_id).filter((id): id is number => id !== null),
  );
  return rows.map((r) => toAuthor(r, media));
}

function toAuthor(r: AuthorRow, media: ReadonlyMap<number, Selectable<MediaTable>>): Author {
  const m = r.photo_media_id === null ? undefined : media.get(r.photo_media_id);
  return { id: r.id, slug: r.slug, name: r.name, role: r.role, bio: r.bio, photo: m ? toImage(m) : null };
}

/**
 * An article's summary, tags and full authors plus the summaries of its related articles,
 * as `summaries`, `articleTags` and `articleAuthors` give them, in three statements: the
 * authors of all the articles together, the tags, then every image at once.
 */
export async function hydrateArticleWithRelated(
  db: K,
  row: SummaryRow,
  related: SummaryRow[],
  sections: ReadonlyMap<number, SectionRef>,
): Promise<{ summary: ArticleSummary; tags: TagRef[]; authorsFull: Author[]; related: ArticleSummary[] }> {
  const [authorRows, tags] = await Promise.all([
    db
      .selectFrom('article_authors')
      .innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .select([
        'article_authors.article_id',
        'authors.id',
        'authors.slug',
        'authors.name',
        'authors.role',
        'authors.bio',
        'authors.photo_media_id',
      ])
      .where('article_authors.article_id', 'in', [row.id, ...related.map((r) => r.id)])
      .orderBy('article_authors.position')
      .execute(),
    articleTags(db, row.id),
  ]);
  const own = authorRows.filter((a) => a.article_id === row.id);
  const mediaIds: number[] = [];
  for (const r of [row, ...related]) if (r.lead_media_id !== null) mediaIds.push(r.lead_media_id);
  for (const a of own) if (a.photo_media_id !== null) mediaIds.push(a.photo_media_id);
  const media = await mediaByIds(db, mediaIds);
  const authorsOf = authorRefsByArticle(authorRows);
  const [summary] = buildSummaries([row], sections, authorsOf, media);
  return {
    summary: summary!,
    tags,
    authorsFull: own.map((a) => toAuthor(a, media)),
    related: buildSummaries(related, sections, authorsOf, media),
  };
}

// ---- sections, tags, authors, media -----------------------------------------------------

export async function listSections(db: K): Promise<Section[]> {
  return db
    .selectFrom('sections')
    .select(['id', 'slug', 'name', 'description'])
    .orderBy('position')
    .orderBy('name')
    .execute();
}

export async function findSectionBySlug(db: K, slug: string): Promise<Section | undefined> {
  return db
    .selectFrom('sections')
    .select(['id', 'slug', 'name', 'description'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

export async function insertSection(
  db: K,
  s: { slug: string; name: string; description: string; position: number },
): Promise<number> {
  const r = await db.insertInto('sections').values(s).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function findTagBySlug(
  db: K,
  slug: string,
): Promise<{ id: number; slug: string; name: string } | undefined> {
  return db.selectFrom('tags').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
}

export async function findAuthorBySlug(db: K, slug: string): Promise<Author | undefined> {
  const rows = await db
    .selectFrom('authors')
    .select(['id', 'slug', 'name', 'role', 'bio', 'photo_media_id'])
    .where('slug', '=', slug)
    .execute();
  return (await hydrateAuthors(db, rows))[0];
}

export async function authorIdsBySlugs(db: K, slugs: string[]): Promise<Map<string, number>> {
  if (slugs.length === 0) return new Map();
  const rows = await db.selectFrom('authors').select(['id', 'slug']).where('slug', 'in', slugs).execute();
  return new Map(rows.map((r) => [r.slug, r.id]));
}

export async function insertAuthor(
  db: K,
  a: { slug: string; name: string; role: string; bio: string; photo_media_id: number | null; now: string },
): Promise<number> {
  const r = await db
    .insertInto('authors')
    .values({
      slug: a.slug,
      name: a.name,
      role: a.role,
      bio: a.bio,
      photo_media_id: a.photo_media_id,
      created_at: a.now,
      updated_at: a.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function insertMedia(db: K, m: Omit<Selectable<MediaTable>, 'id'>): Promise<number> {
  const r = await db.insertInto('media').values(m).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function listPublishedForSitemap(
  db: K,
  limit: number,
): Promise<{ slug: string; modified_at: string; published_at: string | null }[]> {
  return db
    .selectFrom('articles')
    .select(['slug', 'modified_at', 'published_at'])
    .where('status', '=', 'published')
    .orderBy('published_at', 'desc')
    .limit(limit)
    .execute();
}

// ---- feeds and sitemaps ----------------------------------------------------------------

export type FeedRow = SummaryRow & Pick<ArticleRow, 'body_html' | 'language' | 'modified_at'>;

/** The newest published articles with their bodies, for syndication feeds. */
export async function listFeedRows(db: K, f: PublishedFilter, limit: number): Promise<FeedRow[]> {
  return publishedQuery(db, f)
    .select([
      ...SUMMARY_COLUMNS.map((c) => `articles.${c}` as const),
      'articles.body_html',
      'articles.language',
      'articles.modified_at',
    ])
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .execute();
}

/** Tags of many articles at once, each list ordered by name. */
export async function tagsOfArticles(db: K, articleIds: number[]): Promise<Map<number, TagRef[]>> {
  const out = new Map<number, TagRef[]>();
  if (articleIds.length === 0) return out;
  const rows = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(['article_tags.article_id', 'tags.slug', 'tags.name'])
    .where('article_tags.article_id', 'in', articleIds)
    .orderBy('tags.name')
    .execute();
  for (const r of rows) {
    const list = out.get(r.article_id) ?? [];
    list.push({ slug: r.slug, name: r.name });
    out.set(r.article_id, list);
  }
  return out;
}

/** Published articles whose publication time lies in [from, to], newest first (news sitemaps). */
export async function listPublishedBetween(
  db: K,
  from: string,
  to: string,
  limit: number,
): Promise<{ slug: string; headline: string; language: string; published_at: string }[]> {
  const rows = await db
    .selectFrom('articles')
    .select(['slug', 'headline', 'language', 'published_at'])
    .where('status', '=', 'published')
    .where('published_at', '>=', from)
    .where('published_at', '<=', to)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.flatMap((r) => (r.published_at === null ? [] : [{ ...r, published_at: r.published_at }]));
}

/** Summary rows of published articles: the given ids, or those published in [from, to), newest first. */
export async function publishedSummaryRows(
  db: K,
  f: { ids?: number[]; from?: string; to?: string },
  limit: number,
): Promise<SummaryRow[]> {
  if (f.ids !== undefined && f.ids.length === 0) return [];
  let q = db.selectFrom('articles').select(SUMMARY_COLUMNS).where('status', '=', 'published');
  if (f.ids !== undefined) q = q.where('id', 'in', f.ids);
  if (f.from !== undefined) q = q.where('published_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('published_at', '<', f.to);
  return q.orderBy('published_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Sections, tags and authors that have published articles, with their newest article's modification time. */
export async function listSitemapGroups(
  db: K,
): Promise<Record<'sections' | 'tags' | 'authors', { slug: string; lastmod: string | null }[]>> {
  const [sections, tags, authors] = await Promise.all([
    db
      .selectFrom('sections')
      .innerJoin('articles', 'articles.section_id', 'sections.id')
      .select((eb) => ['sections.slug', eb.fn.max('articles.modified_at').as('lastmod')])
      .where('articles.status', '=', 'published')
      .groupBy('sections.slug')
      .orderBy('sections.slug')
      .execute(),
    db
      .selectFrom('tags')
      .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
      .innerJoin('articles', 'articles.id', 'article_tags.article_id')
      .select((eb) => ['tags.slug', eb.fn.max('articles.modified_at').as('lastmod')])
      .where('articles.status', '=', 'published')
      .groupBy('tags.slug')
      .orderBy('tags.slug')
      .execute(),
    db
      .selectFrom('authors')
      .innerJoin('article_authors', 'article_authors.author_id', 'authors.id')
      .innerJoin('articles', 'articles.id', 'article_authors.article_id')
      .select((eb) => ['authors.slug', eb.fn.max('articles.modified_at').as('lastmod')])
      .where('articles.status', '=', 'published')
      .groupBy('authors.slug')
      .orderBy('authors.slug')
      .execute(),
  ]);
  return { sections, tags, authors };
}
