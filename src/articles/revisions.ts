import { NotFoundError } from '#lib/errors.ts';
import { diffLines, type DiffLine } from '#lib/line-diff.ts';
import type { ArticleInput } from './commands.ts';
import { getArticleForEditing } from './drafts.ts';
import { AUTOSAVE_NOTE, findRevisionRow, listRevisionRows, type RevisionRow } from './revision-queries.ts';
import { updateArticle, type ArticlesDeps } from './service.ts';

export { AUTOSAVE_NOTE };

/** A saved version of an article's words, as the history lists it. */
export interface RevisionSummary {
  id: number;
  articleId: number;
  createdAt: string;
  createdBy: number | null;
  headline: string;
  note: string;
}

export interface Revision extends RevisionSummary {
  standfirst: string;
  bodyMarkdown: string;
}

/** What changed from a revision to the article as it is now, field by field. */
export interface RevisionComparison {
  revision: Revision;
  headline: DiffLine[];
  standfirst: DiffLine[];
  body: DiffLine[];
  /** The revision's text is the article's current text. */
  same: boolean;
}

const toRevision = (r: RevisionRow): Revision => ({
  id: r.id,
  articleId: r.article_id,
  createdAt: r.created_at,
  createdBy: r.created_by,
  headline: r.headline,
  note: r.note,
  standfirst: r.standfirst,
  bodyMarkdown: r.body_markdown,
});

/** An article's revisions, newest first (the newest is the text saved last). */
export async function listRevisions(
  deps: ArticlesDeps,
  articleId: number,
  limit = 200,
): Promise<{ items: RevisionSummary[]; total: number }> {
  const { rows, total } = await listRevisionRows(deps.db.kysely, articleId, limit);
  return {
    items: rows.map((r) => ({
      id: r.id,
      articleId: r.article_id,
      createdAt: r.created_at,
      createdBy: r.created_by,
      headline: r.headline,
      note: r.note,
    })),
    total,
  };
}

/** One revision of that article; NotFound for another article's revision, so ids cannot be probed across articles. */
export async function getRevision(deps: ArticlesDeps, articleId: number, revisionId: number): Promise<Revision> {
  const row = await findRevisionRow(deps.db.kysely, articleId, revisionId);
  if (!row) throw new NotFoundError('ARTICLES_REVISION_NOT_FOUND', 'There is no such revision of this article.');
  return toRevision(row);
}

/** Line diffs from a revision to the current text: what was removed and added since. */
export async function compareRevision(
  deps: ArticlesDeps,
  articleId: number,
  revisionId: number,
): Promise<RevisionComparison> {
  const [revision, current] = await Promise.all([
    getRevision(deps, articleId, revisionId),
    getArticleForEditing(deps, articleId),
  ]);
  const headline = diffLines(revision.headline, current.headline);
  const standfirst = diffLines(revision.standfirst, current.standfirst);
  const body = diffLines(revision.bodyMarkdown, current.bodyMarkdown);
  const same = [headline, standfirst, body].every((d) => d.every((l) => l.op === 'same'));
  return { revision, headline, standfirst, body, same };
}

/**
 * Brings back a revision's headline, standfirst and body as a new save (which records a
 * revision of its own, so a restore can itself be undone). Everything else stays as it is.
 */
export async function restoreRevision(
  deps: ArticlesDeps,
  articleId: number,
  revisionId: number,
  by?: number,
): Promise<void> {
  const [revision, a] = await Promise.all([
    getRevision(deps, articleId, revisionId),
    getArticleForEditing(deps, articleId),
  ]);
  const input: ArticleInput = {
    slug: a.slug,
    headline: revision.headline,
    standfirst: revision.standfirst,
    bodyMarkdown: revision.bodyMarkdown,
    sectionSlug: a.sectionSlug,
    tags: a.tags,
    authorSlugs: a.authorSlugs,
    language: a.language,
    lead: a.lead,
    status: a.status,
    publishedAt: a.publishedAt ? new Date(a.publishedAt) : null,
    updatedAt: null,
  };
  await updateArticle(deps, articleId, input, {
    ...(by === undefined ? {} : { revisionBy: by }),
    revisionNote: `restored revision ${revisionId}`,
  });
}

/**
 * The editor's periodic save. Only articles readers cannot see (drafts, unpublished) are
 * changed: a published or scheduled one is refused with 409, never silently rewritten.
 */
export async function autosaveArticle(
  deps: ArticlesDeps,
  articleId: number,
  input: ArticleInput,
  by?: number,
): Promise<{ savedAt: string }> {
  await updateArticle(deps, articleId, input, {
    ...(by === undefined ? {} : { revisionBy: by }),
    revisionNote: AUTOSAVE_NOTE,
    onlyIfNotPublic: true,
  });
  return { savedAt: deps.clock.now().toISOString() };
}
