import type { Kysely, Selectable } from 'kysely';
import type { ArticleRevisionsTable, Database } from '#db';

type K = Kysely<Database>;
export type RevisionRow = Selectable<ArticleRevisionsTable>;

/** The note that marks a revision written by the editor's autosave. */
export const AUTOSAVE_NOTE = 'autosave';

/**
 * Records the text of an article after a save. Autosaves every few seconds would bury the
 * history, so an autosave replaces the latest revision when that, too, is the same
 * person's autosave: each editing session leaves one autosave, not hundreds.
 */
export async function recordRevision(db: K, r: Omit<RevisionRow, 'id'>): Promise<void> {
  if (r.note === AUTOSAVE_NOTE) {
    const latest = await db
      .selectFrom('article_revisions')
      .select(['id', 'note', 'created_by'])
      .where('article_id', '=', r.article_id)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest && latest.note === AUTOSAVE_NOTE && latest.created_by === r.created_by) {
      await db
        .updateTable('article_revisions')
        .set({
          created_at: r.created_at,
          headline: r.headline,
          standfirst: r.standfirst,
          body_markdown: r.body_markdown,
        })
        .where('id', '=', latest.id)
        .execute();
      return;
    }
  }
  await db.insertInto('article_revisions').values(r).execute();
}

export async function listRevisionRows(
  db: K,
  articleId: number,
  limit: number,
): Promise<{ rows: Omit<RevisionRow, 'body_markdown' | 'standfirst'>[]; total: number }> {
  const base = db.selectFrom('article_revisions').where('article_id', '=', articleId);
  const [rows, count] = await Promise.all([
    base
      .select(['id', 'article_id', 'created_at', 'created_by', 'headline', 'note'])
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** A revision of that article; undefined when the id is another article's revision. */
export async function findRevisionRow(db: K, articleId: number, revisionId: number): Promise<RevisionRow | undefined> {
  return db
    .selectFrom('article_revisions')
    .selectAll()
    .where('id', '=', revisionId)
    .where('article_id', '=', articleId)
    .executeTakeFirst();
}
