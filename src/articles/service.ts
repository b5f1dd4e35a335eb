import type { Kysely } from 'kysely';
import type { Database, Db } from '#db';
import type { JobQueue } from '#jobs';
import { toDbJson, toDbTime } from '#db';
import type { Clock } from '#lib/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '#lib/errors.ts';
import { slugify } from '#lib/slug.ts';
import { articleInput, type ArticleInput } from './commands.ts';
import { processImage, removeImageFiles } from './images.ts';
import { renderMarkdown } from './markdown.ts';
import * as q from './queries.ts';
import { recordRevision } from './revision-queries.ts';
import type { Article, ArticleSummary, Author, Page, Section, TagRef } from './types.ts';
import { stripControlChars } from '#lib/control-chars.ts';

export interface ArticlesDeps {
  db: Db;
  clock: Clock;
  mediaDir: string;
  /** Called after a committed change to anything the public site shows. */
  contentChanged: () => void;
  jobs: JobQueue;
}

const MAX_PAGE = 10_000;

function pageOf<T>(items: T[], total: number, page: number, perPage: number): Page<T> {
  return { items, total, page, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

function assertPage(page: number): void {
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE)
    throw new ValidationError('ARTICLES_BAD_PAGE', 'Page must be a whole number from 1.');
}

function validate(input: ArticleInput) {
  const parsed = articleInput.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const i of parsed.error.issues) fields[i.path.join('.') || 'article'] ??= i.message;
    throw new ValidationError('ARTICLES_INVALID', 'The article has errors.', fields);
  }
  return parsed.data;
}

/** Who saved, and why, for the revision every save records (see revisions.ts). */
export interface SaveOptions {
  /** The staff member saving; defaults to nobody (imports, seeds, jobs). */
  revisionBy?: number;
  /** Shown in the revision history, e.g. "autosave". */
  revisionNote?: string;
}

/** Creates an article from editor input; the body is rendered and sanitised here, once. */
export async function createArticle(
  deps: ArticlesDeps,
  input: ArticleInput,
  opts: SaveOptions & { createdBy?: number } = {},
): Promise<number> {
  const data = validate(input);
  const now = toDbTime(deps.clock.now());
  const body = renderMarkdown(data.bodyMarkdown);
  const slug = data.slug ?? slugify(data.headline);
  if (!slug)
    throw new ValidationError('ARTICLES_INVALID', 'The article has errors.', { slug: 'Give the article a slug' });
  const id = await deps.db.kysely.transaction().execute(async (trx) => {
    const section = data.sectionSlug ? await q.findSectionBySlug(trx, data.sectionSlug) : undefined;
    if (data.sectionSlug && !section)
      throw new ValidationError('ARTICLES_INVALID', 'The article has errors.', { sectionSlug: 'No such section' });
    const authorIds = await q.authorIdsBySlugs(trx, data.authorSlugs);
    const missing = data.authorSlugs.filter((s) => !authorIds.has(s));
    if (missing.length > 0)
      throw new ValidationError('ARTICLES_INVALID', 'The article has errors.', {
        authorSlugs: `Unknown author: ${missing.join(', ')}`,
      });
    await assertMediaExists(trx, data.lead?.mediaId);
    const publishedAt =
      data.status === 'published'
        ? toDbTime(data.publishedAt ?? deps.clock.now())
        : data.publishedAt && toDbTime(data.publishedAt);
    const id = await q.insertArticle(trx, {
      slug,
      headline: data.headline,
      standfirst: data.standfirst,
      body_markdown: data.bodyMarkdown,
      body_html: body.html,
      body_text: body.text,
      lead_media_id: data.lead?.mediaId ?? null,
      lead_alt: data.lead?.alt ?? '',
      lead_caption: data.lead?.caption ?? '',
      lead_credit: data.lead?.credit ?? '',
      section_id: section?.id ?? null,
      language: data.language,
      status: data.status,
      published_at: publishedAt ?? null,
      updated_at: data.updatedAt ? toDbTime(data.updatedAt) : null,
      created_at: now,
      modified_at: now,
      created_by: opts.createdBy ?? null,
    });
    await q.setArticleAuthors(
      trx,
      id,
      data.authorSlugs.map((s) => authorIds.get(s)).filter((n): n is number => n !== undefined),
    );
    const tags = uniqueTags(data.tags);
    await q.setArticleTags(trx, id, await q.ensureTags(trx, tags));
    await q.syncSearchIndex(trx, deps.db.dialect, id, {
      headline: data.headline,
      standfirst: data.standfirst,
      text: body.text,
    });
    await recordRevision(trx, revisionOf(id, data, now, opts.revisionBy ?? opts.createdBy, opts.revisionNote));
    if (data.status === 'published') await q.bumpContentVersion(trx, now);
    return id;
  });
  if (data.status === 'published') deps.contentChanged();
  return id;
}

/** Replaces an article's content; bumps the public content version if it is or was public. */
export async function updateArticle(
  deps: ArticlesDeps,
  id: number,
  input: ArticleInput,
  opts: SaveOptions & {
    /** Refuse (409) if the article is published or scheduled: checked inside the transaction, so a publish in between cannot be overwritten. */
    onlyIfNotPublic?: boolean;
  } = {},
): Promise<void> {
  const data = validate(input);
  const now = toDbTime(deps.clock.now());
  const body = renderMarkdown(data.bodyMarkdown);
  let touchedPublic = false;
  await deps.db.kysely.transaction().execute(async (trx) => {
    // PostgreSQL reads committed data: lock the row so a publish cannot land between the check and the write.
    if (opts.onlyIfNotPublic && deps.db.dialect === 'postgres')
      await trx.selectFrom('articles').select('id').where('id', '=', id).forUpdate().execute();
    const existing = await q.findArticleRowById(trx, id);
    if (!existing) throw new NotFoundError('ARTICLES_NOT_FOUND', 'No such article.');
    if (
      opts.onlyIfNotPublic &&
      (existing.status === 'published' || existing.status === 'scheduled' || data.status !== existing.status)
    ) {
      throw new ConflictError(
        'ARTICLES_PUBLIC',
        'This article is published or scheduled; save it with the Save button.',
      );
    }
    const section = data.sectionSlug ? await q.findSectionBySlug(trx, data.sectionSlug) : undefined;
    if (data.sectionSlug && !section)
      throw new ValidationError('ARTICLES_INVALID', 'The article has errors.', { sectionSlug: 'No such section' });
    const authorIds = await q.authorIdsBySlugs(trx, data.authorSlugs);
    await assertMediaExists(trx, data.lead?.mediaId);
    const publishedAt =
      data.status === 'published'
        ? data.publishedAt
          ? toDbTime(data.publishedAt)
          : (existing.published_at ?? now)
        : existing.published_at;
    await q.updateArticle(trx, id, {
      slug: data.slug ?? existing.slug,
      headline: data.headline,
      standfirst: data.standfirst,
      body_markdown: data.bodyMarkdown,
      body_html: body.html,
      body_text: body.text,
      lead_media_id: data.lead?.mediaId ?? null,
      lead_alt: data.lead?.alt ?? '',
      lead_caption: data.lead?.caption ?? '',
      lead_credit: data.lead?.credit ?? '',
      section_id: section?.id ?? null,
      language: data.language,
      status: data.status,
      published_at: publishedAt,
      updated_at: data.updatedAt ? toDbTime(data.updatedAt) : existing.updated_at,
      modified_at: now,
    });
    await q.setArticleAuthors(
      trx,
      id,
      data.authorSlugs.map((s) => authorIds.get(s)).filter((n): n is number => n !== undefined),
    );
    await q.setArticleTags(trx, id, await q.ensureTags(trx, uniqueTags(data.tags)));
    await q.syncSearchIndex(trx, deps.db.dialect, id, {
      headline: data.headline,
      standfirst: data.standfirst,
      text: body.text,
    });
    await recordRevision(trx, revisionOf(id, data, now, opts.revisionBy, opts.revisionNote));
    touchedPublic = existing.status === 'published' || data.status === 'published';
    if (touchedPublic) await q.bumpContentVersion(trx, now);
  });
  if (touchedPublic) deps.contentChanged();
}

function revisionOf(
  articleId: number,
  data: { headline: string; standfirst: string; bodyMarkdown: string },
  now: string,
  by: number | undefined,
  note: string | undefined,
) {
  return {
    article_id: articleId,
    created_at: now,
    created_by: by ?? null,
    headline: data.headline,
    standfirst: data.standfirst,
    body_markdown: data.bodyMarkdown,
    note: note ?? '',
  };
}

async function assertMediaExists(db: Kysely<Database>, mediaId: number | undefined): Promise<void> {
  if (mediaId === undefined) return;
  if ((await q.mediaByIds(db, [mediaId])).size === 0) {
    throw new ValidationError('ARTICLES_INVALID', 'The article has errors.', {
      'lead.mediaId': `There is no image number ${mediaId} in the media library`,
    });
  }
}

function uniqueTags(names: string[]): TagRef[] {
  const seen = new Map<string, TagRef>();
  for (const name of names) {
    const slug = slugify(name);
    if (slug && !seen.has(slug)) seen.set(slug, { slug, name });
  }
  return [...seen.values()];
}

/** Stores an uploaded image (re-encoded, metadata stripped) and returns its media id. */
export async function uploadImage(
  deps: ArticlesDeps,
  file: Buffer,
  meta: { originalName: string; alt?: string; caption?: string; credit?: string; uploadedBy?: number | null },
): Promise<number> {
  const now = deps.clock.now();
  const img = await processImage(deps.mediaDir, file, now);
  try {
    return await q.insertMedia(deps.db.kysely, {
      storage_key: img.storageKey,
      original_name: meta.originalName.slice(0, 255),
      width: img.width,
      height: img.height,
      bytes: img.bytes,
      alt: meta.alt ?? '',
      caption: meta.caption ?? '',
      credit: meta.credit ?? '',
      variants: toDbJson(img.variants),
      created_at: toDbTime(now),
      uploaded_by: meta.uploadedBy ?? null,
    });
  } catch (err) {
    await removeImageFiles(deps.mediaDir, img.storageKey);
    throw err;
  }
}

export async function createSection(
  deps: ArticlesDeps,
  s: { slug: string; name: string; description?: string; position?: number },
): Promise<number> {
  const id = await deps.db.kysely.transaction().execute(async (trx) => {
    const id = await q.insertSection(trx, {
      slug: s.slug,
      name: s.name,
      description: s.description ?? '',
      position: s.position ?? 0,
    });
    await q.bumpContentVersion(trx, toDbTime(deps.clock.now()));
    return id;
  });
  deps.contentChanged();
  return id;
}

export async function createAuthor(
  deps: ArticlesDeps,
  a: { slug: string; name: string; role?: string; bio?: string; photoMediaId?: number | null },
): Promise<number> {
  return q.insertAuthor(deps.db.kysely, {
    slug: a.slug,
    name: a.name,
    role: a.role ?? '',
    bio: a.bio ?? '',
    photo_media_id: a.photoMediaId ?? null,
    now: toDbTime(deps.clock.now()),
  });
}

export async function countArticles(deps: ArticlesDeps): Promise<number> {
  return q.countArticles(deps.db.kysely);
}

/** The latest published articles, optionally within a section, tag or author. */
export async function listPublished(
  deps: ArticlesDeps,
  opts: q.PublishedFilter & { page: number; perPage: number },
): Promise<Page<ArticleSummary>> {
  assertPage(opts.page);
  const { rows, total } = await q.listPublishedRows(deps.db.kysely, opts, opts.perPage, (opts.page - 1) * opts.perPage);
  return pageOf(await q.summaries(deps.db.kysely, rows), total, opts.page, opts.perPage);
}

/** A published article by slug, with everything its page shows; throws NotFound otherwise. */
export async function getPublishedArticle(deps: ArticlesDeps, slug: string): Promise<Article> {
  const k = deps.db.kysely;
  const row = await q.findArticleRowBySlug(k, slug);
  if (!row || row.status !== 'published')
    throw new NotFoundError('ARTICLES_NOT_FOUND', 'We could not find that article.');
  const [[summary], tags, authorsFull] = await Promise.all([
    q.summaries(k, [row]),
    q.articleTags(k, row.id),
    q.articleAuthors(k, row.id),
  ]);
  if (!summary) throw new NotFoundError('ARTICLES_NOT_FOUND', 'We could not find that article.');
  return toArticle(row, summary, tags, authorsFull);
}

/** A full article from its row and the pieces loaded around it. */
function toArticle(row: q.ArticleRow, summary: ArticleSummary, tags: TagRef[], authorsFull: Author[]): Article {
  return {
    ...summary,
    status: row.status,
    language: row.language,
    bodyHtml: row.body_html,
    bodyText: row.body_text,
    bodyMarkdown: row.body_markdown,
    tags,
    authorsFull,
    modifiedAt: row.modified_at,
  };
}

/** "Read more": 3–5 articles sharing tags, then section, then the most recent. */
export async function listRelated(
  deps: ArticlesDeps,
  article: Pick<Article, 'id' | 'section'>,
  limit = 4,
): Promise<ArticleSummary[]> {
  const k = deps.db.kysely;
  const section = article.section ? await q.findSectionBySlug(k, article.section.slug) : undefined;
  return q.summaries(k, await q.relatedRows(k, article.id, section?.id ?? null, limit));
}

/**
 * The article page: what `getPublishedArticle` and then `listRelated` give, in five SQL
 * statements instead of eleven. `sections` must be every section (the public site holds
 * them per content version); summaries name their section from it.
 */
export async function getArticlePage(
  deps: ArticlesDeps,
  slug: string,
  opts: { sections: readonly Section[]; relatedLimit?: number },
): Promise<{ article: Article; related: ArticleSummary[] }> {
  const k = deps.db.kysely;
  const row = await q.findArticleRowBySlug(k, slug);
  if (!row || row.status !== 'published')
    throw new NotFoundError('ARTICLES_NOT_FOUND', 'We could not find that article.');
  const sections = q.sectionMap(opts.sections);
  // As listRelated: the same-section bonus only for a section the article is shown in.
  const sectionId = row.section_id !== null && sections.has(row.section_id) ? row.section_id : null;
  const relatedRows = await q.relatedRows(k, row.id, sectionId, opts.relatedLimit ?? 4);
  const { summary, tags, authorsFull, related } = await q.hydrateArticleWithRelated(k, row, relatedRows, sections);
  return { article: toArticle(row, summary, tags, authorsFull), related };
}

export const SEARCH_MAX_LENGTH = 200;

/** Searches published articles; any text is safe to pass. */
export async function searchArticles(
  deps: ArticlesDeps,
  query: string,
  page: number,
  perPage: number,
): Promise<Page<ArticleSummary>> {
  assertPage(page);
  const cleaned = stripControlChars(query, ' ').trim().slice(0, SEARCH_MAX_LENGTH);
  if (!cleaned) return pageOf([], 0, page, perPage);
  const { rows, total } = await q.searchRows(deps.db.kysely, deps.db.dialect, cleaned, perPage, (page - 1) * perPage);
  return pageOf(await q.summaries(deps.db.kysely, rows), total, page, perPage);
}

export async function listSections(deps: ArticlesDeps): Promise<Section[]> {
  return q.listSections(deps.db.kysely);
}

export async function getSection(deps: ArticlesDeps, slug: string): Promise<Section> {
  const s = await q.findSectionBySlug(deps.db.kysely, slug);
  if (!s) throw new NotFoundError('ARTICLES_SECTION_NOT_FOUND', 'There is no such section.');
  return s;
}

export async function getTag(deps: ArticlesDeps, slug: string): Promise<{ id: number; slug: string; name: string }> {
  const t = await q.findTagBySlug(deps.db.kysely, slug);
  if (!t) throw new NotFoundError('ARTICLES_TAG_NOT_FOUND', 'There is no such tag.');
  return t;
}

export async function getAuthor(deps: ArticlesDeps, slug: string): Promise<Author> {
  const a = await q.findAuthorBySlug(deps.db.kysely, slug);
  if (!a) throw new NotFoundError('ARTICLES_AUTHOR_NOT_FOUND', 'There is no such author.');
  return a;
}

export async function getContentState(deps: ArticlesDeps): Promise<{ version: number; changedAt: string }> {
  return q.getContentState(deps.db.kysely);
}

export async function listForSitemap(deps: ArticlesDeps, limit = 50_000) {
  return q.listPublishedForSitemap(deps.db.kysely, limit);
}

/** A published article as syndication feeds show it: the summary plus body, tags and times. */
export interface FeedArticle extends ArticleSummary {
  language: string;
  bodyHtml: string;
  tags: TagRef[];
  modifiedAt: string;
}

/** The newest published articles with full text, optionally within one section. */
export async function listFeedArticles(
  deps: ArticlesDeps,
  opts: { limit: number; sectionId?: number },
): Promise<FeedArticle[]> {
  const k = deps.db.kysely;
  const rows = await q.listFeedRows(k, opts.sectionId === undefined ? {} : { sectionId: opts.sectionId }, opts.limit);
  const ids = rows.map((r) => r.id);
  const [items, tags] = await Promise.all([q.summaries(k, rows), q.tagsOfArticles(k, ids)]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return items.flatMap((s) => {
    const row = byId.get(s.id);
    return row
      ? [
          {
            ...s,
            language: row.language,
            bodyHtml: row.body_html,
            tags: tags.get(s.id) ?? [],
            modifiedAt: row.modified_at,
          },
        ]
      : [];
  });
}

/** Published articles whose publication time lies between the two instants, newest first. */
export async function listPublishedBetween(deps: ArticlesDeps, from: Date, to: Date, limit = 1000) {
  return q.listPublishedBetween(deps.db.kysely, toDbTime(from), toDbTime(to), limit);
}

/** Published articles among the given ids (any order; unpublished or unknown ids are left out), for newsletter editions. */
export async function listPublishedByIds(deps: ArticlesDeps, ids: readonly number[]): Promise<ArticleSummary[]> {
  const k = deps.db.kysely;
  return q.summaries(k, await q.publishedSummaryRows(k, { ids: [...new Set(ids)].slice(0, 500) }, 500));
}

/** Published articles from the interval [from, to), newest first: the week's articles a newsletter draft suggests. */
export async function listPublishedSummariesBetween(
  deps: ArticlesDeps,
  from: Date,
  to: Date,
  limit = 50,
): Promise<ArticleSummary[]> {
  const k = deps.db.kysely;
  return q.summaries(k, await q.publishedSummaryRows(k, { from: toDbTime(from), to: toDbTime(to) }, limit));
}

/** Sections, tags and authors with published articles, for the sitemap. */
export async function listSitemapGroups(deps: ArticlesDeps) {
  return q.listSitemapGroups(deps.db.kysely);
}

/** Who created an article (its owner for permissions); undefined if there is no such article. */
/** Who uploaded an image: undefined if there is no such image, null if nobody is recorded. */
export async function findMediaOwner(deps: ArticlesDeps, id: number): Promise<number | null | undefined> {
  const row = await deps.db.kysely.selectFrom('media').select('uploaded_by').where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : row.uploaded_by;
}

export async function findArticleOwner(deps: ArticlesDeps, id: number): Promise<number | null | undefined> {
  const row = await deps.db.kysely.selectFrom('articles').select('created_by').where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : row.created_by;
}
