import { sql } from 'kysely';
import { toDbTime } from '#db';
import { NotFoundError } from '#lib/errors.ts';
import * as q from './queries.ts';
import type { ArticlesDeps } from './service.ts';
import type { ArticleStatus } from './types.ts';

/** One row of the newsroom's article list. */
export interface ArticleListItem {
  id: number;
  slug: string;
  headline: string;
  status: ArticleStatus;
  submittedAt: string | null;
  publishedAt: string | null;
  modifiedAt: string;
  sectionName: string | null;
  createdBy: number | null;
}

export interface ArticleFilter {
  status?: ArticleStatus | 'submitted';
  sectionSlug?: string;
  authorSlug?: string;
  text?: string;
  page: number;
  perPage: number;
}

/** Every article the newsroom can see, newest change first, filtered. */
export async function listAllArticles(
  deps: ArticlesDeps,
  f: ArticleFilter,
): Promise<{ items: ArticleListItem[]; total: number; page: number; pageCount: number }> {
  const k = deps.db.kysely;
  let base = k.selectFrom('articles').leftJoin('sections', 'sections.id', 'articles.section_id');
  if (f.status === 'submitted')
    base = base.where('articles.status', '=', 'draft').where('articles.submitted_at', 'is not', null);
  else if (f.status) base = base.where('articles.status', '=', f.status);
  if (f.sectionSlug) base = base.where('sections.slug', '=', f.sectionSlug);
  if (f.authorSlug) {
    const slug = f.authorSlug;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_authors')
          .innerJoin('authors', 'authors.id', 'article_authors.author_id')
          .select('article_authors.article_id')
          .whereRef('article_authors.article_id', '=', 'articles.id')
          .where('authors.slug', '=', slug),
      ),
    );
  }
  if (f.text) {
    const like = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
    // ESCAPE is spelled out: SQLite has no default escape character for LIKE.
    base = base.where(
      sql<boolean>`(lower(articles.headline) like ${like} escape '\\' or lower(articles.slug) like ${like} escape '\\')`,
    );
  }
  const [rows, count] = await Promise.all([
    base
      .select([
        'articles.id',
        'articles.slug',
        'articles.headline',
        'articles.status',
        'articles.submitted_at',
        'articles.published_at',
        'articles.modified_at',
        'articles.created_by',
        'sections.name as section_name',
      ])
      .orderBy('articles.modified_at', 'desc')
      .orderBy('articles.id', 'desc')
      .limit(f.perPage)
      .offset((f.page - 1) * f.perPage)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const total = Number(count.n);
  return {
    items: rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      headline: r.headline,
      status: r.status,
      submittedAt: r.submitted_at,
      publishedAt: r.published_at,
      modifiedAt: r.modified_at,
      sectionName: r.section_name,
      createdBy: r.created_by,
    })),
    total,
    page: f.page,
    pageCount: Math.max(1, Math.ceil(total / f.perPage)),
  };
}

/** Everything the editor form needs about an article, whatever its status. */
export async function getArticleForEditing(deps: ArticlesDeps, id: number) {
  const k = deps.db.kysely;
  const row = await q.findArticleRowById(k, id);
  if (!row) throw new NotFoundError('ARTICLES_NOT_FOUND', 'No such article.');
  const [tags, authors, section] = await Promise.all([
    q.articleTags(k, id),
    q.articleAuthors(k, id),
    row.section_id === null
      ? Promise.resolve(undefined)
      : k.selectFrom('sections').select('slug').where('id', '=', row.section_id).executeTakeFirst(),
  ]);
  return {
    id: row.id,
    slug: row.slug,
    headline: row.headline,
    standfirst: row.standfirst,
    bodyMarkdown: row.body_markdown,
    status: row.status,
    language: row.language,
    sectionSlug: section?.slug ?? null,
    tags: tags.map((t) => t.name),
    authorSlugs: authors.map((a) => a.slug),
    lead:
      row.lead_media_id === null
        ? null
        : { mediaId: row.lead_media_id, alt: row.lead_alt, caption: row.lead_caption, credit: row.lead_credit },
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    createdBy: row.created_by,
  };
}

/** A contributor or author hands a draft to the editors. */
export async function submitForReview(deps: ArticlesDeps, id: number): Promise<void> {
  const r = await deps.db.kysely
    .updateTable('articles')
    .set({ submitted_at: toDbTime(deps.clock.now()) })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0)
    throw new NotFoundError('ARTICLES_NOT_A_DRAFT', 'Only drafts can be submitted for review.');
}

export async function listAuthors(deps: ArticlesDeps): Promise<{ slug: string; name: string }[]> {
  return deps.db.kysely.selectFrom('authors').select(['slug', 'name']).orderBy('name').execute();
}
