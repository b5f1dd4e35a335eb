import type { Kysely, Selectable } from 'kysely';
import type { Database, DialectName, EditionItemsTable, EditionsTable, EditionStatus } from '#db';

type K = Kysely<Database>;
export type EditionRow = Selectable<EditionsTable>;
export type EditionItemRow = Selectable<EditionItemsTable>;

/** Statuses whose edition has left the composer: its web page is public. */
export const PUBLIC_STATUSES: readonly EditionStatus[] = ['sending', 'paused', 'sent'];

export async function insertEdition(
  db: K,
  row: {
    subject: string;
    preheader: string;
    intro: string;
    signOff: string;
    autoFriday: string | null;
    createdBy: number | null;
    now: string;
  },
): Promise<number | null> {
  // Only an automatic draft can collide (auto_friday is unique): then nothing is written
  // and the caller gets null. ON CONFLICT keeps a PostgreSQL transaction usable.
  const r = await db
    .insertInto('editions')
    .values({
      status: 'draft',
      subject: row.subject,
      preheader: row.preheader,
      intro: row.intro,
      sign_off: row.signOff,
      auto_friday: row.autoFriday,
      created_by: row.createdBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .onConflict((oc) => oc.column('auto_friday').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

export async function findEdition(db: K, id: number): Promise<EditionRow | undefined> {
  return db.selectFrom('editions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findEditionBySlug(db: K, slug: string): Promise<EditionRow | undefined> {
  return db
    .selectFrom('editions')
    .selectAll()
    .where('slug', '=', slug)
    .where('status', 'in', PUBLIC_STATUSES)
    .executeTakeFirst();
}

export async function lockEdition(db: K, dialect: DialectName, id: number): Promise<EditionRow | undefined> {
  // SQLite write transactions are serialised already (and have no FOR UPDATE); PostgreSQL needs the row lock.
  const q = db.selectFrom('editions').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

export async function updateEditionFields(
  db: K,
  id: number,
  fields: Partial<
    Pick<
      EditionRow,
      | 'subject'
      | 'preheader'
      | 'intro'
      | 'sign_off'
      | 'status'
      | 'scheduled_for'
      | 'slug'
      | 'rendered_html'
      | 'rendered_text'
    >
  >,
  now: string,
  onlyIn?: readonly EditionStatus[],
): Promise<boolean> {
  let q = db
    .updateTable('editions')
    .set({ ...fields, updated_at: now })
    .where('id', '=', id);
  if (onlyIn) q = q.where('status', 'in', onlyIn);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteEdition(db: K, id: number): Promise<void> {
  await db.deleteFrom('edition_items').where('edition_id', '=', id).execute();
  await db.deleteFrom('editions').where('id', '=', id).execute();
}

export async function listEditionRows(
  db: K,
  statuses: readonly EditionStatus[] | null,
  limit: number,
  offset: number,
): Promise<{ rows: EditionRow[]; total: number }> {
  let base = db.selectFrom('editions');
  if (statuses) base = base.where('status', 'in', statuses);
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      // Drafts and scheduled ones first (by their date), then what went out, newest first.
      .orderBy((eb) => eb.case().when('status', 'in', ['draft', 'scheduled']).then(0).else(1).end())
      .orderBy((eb) => eb.fn.coalesce('started_at', 'scheduled_for', 'created_at'), 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Public editions, newest first (by when sending started). */
export async function listPublicRows(
  db: K,
  limit: number,
  offset: number,
): Promise<{ rows: EditionRow[]; total: number }> {
  const base = db.selectFrom('editions').where('status', 'in', PUBLIC_STATUSES).where('slug', 'is not', null);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function slugTaken(db: K, slug: string): Promise<boolean> {
  return (await db.selectFrom('editions').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

export async function listItems(db: K, editionId: number): Promise<EditionItemRow[]> {
  return db
    .selectFrom('edition_items')
    .selectAll()
    .where('edition_id', '=', editionId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function insertItem(
  db: K,
  editionId: number,
  item: { kind: 'article'; articleId: number; blurb: string } | { kind: 'heading'; heading: string },
): Promise<number> {
  const last = await db
    .selectFrom('edition_items')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('edition_id', '=', editionId)
    .executeTakeFirst();
  const position = Number(last?.p ?? 0) + 1;
  const r = await db
    .insertInto('edition_items')
    .values(
      item.kind === 'article'
        ? { edition_id: editionId, position, kind: 'article', article_id: item.articleId, blurb: item.blurb }
        : { edition_id: editionId, position, kind: 'heading', article_id: null, heading: item.heading },
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateItemText(
  db: K,
  editionId: number,
  itemId: number,
  text: { heading?: string; blurb?: string },
): Promise<void> {
  await db
    .updateTable('edition_items')
    .set(text)
    .where('id', '=', itemId)
    .where('edition_id', '=', editionId)
    .execute();
}

export async function deleteItem(db: K, editionId: number, itemId: number): Promise<void> {
  await db.deleteFrom('edition_items').where('id', '=', itemId).where('edition_id', '=', editionId).execute();
}

export async function setItemPosition(db: K, itemId: number, position: number): Promise<void> {
  await db.updateTable('edition_items').set({ position }).where('id', '=', itemId).execute();
}

export { bumpContentVersion } from '#db';
