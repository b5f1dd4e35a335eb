import { NotFoundError } from '#lib/errors.ts';
import * as q from './queries.ts';
import { getEdition, listEditionSummaries, type Edition, type EditionSummary, type EditionsDeps } from './service.ts';

/** What public pages need of the editions feature: the database and the articles it links to. */
export type ArchiveDeps = Pick<EditionsDeps, 'db' | 'articles'>;

const GONE = () => new NotFoundError('EDITIONS_NOT_FOUND', 'There is no newsletter edition at this address.');

/** Editions that went out (or are going out), newest first, for the archive and its feed. */
export async function listPublicEditions(
  deps: ArchiveDeps,
  page: number,
  perPage: number,
): Promise<{ items: EditionSummary[]; total: number }> {
  const { rows, total } = await q.listPublicRows(deps.db.kysely, perPage, (page - 1) * perPage);
  return { items: listEditionSummaries(rows), total };
}

/** A public edition by its slug, with its items; NotFound for unknown, draft or scheduled editions. */
export async function getPublicEdition(deps: ArchiveDeps, slug: string): Promise<Edition> {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) || slug.length > 120) throw GONE();
  const row = await q.findEditionBySlug(deps.db.kysely, slug);
  if (!row) throw GONE();
  return getEdition(deps, row.id);
}

/** The newest public edition (for the signup block's Preview link), or null. */
export async function findLatestPublicEdition(deps: ArchiveDeps): Promise<{ slug: string; subject: string } | null> {
  const { rows } = await q.listPublicRows(deps.db.kysely, 1, 0);
  const r = rows[0];
  return r?.slug ? { slug: r.slug, subject: r.subject } : null;
}
