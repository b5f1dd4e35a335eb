import type { ArticlesDeps, ArticleSummary } from '#articles';
import { listPublishedByIds } from '#articles';
import type { Db, EditionStatus } from '#db';
import { toDbTime } from '#db';
import type { JobQueue } from '#jobs';
import type { Clock } from '#lib/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '#lib/errors.ts';
import type { Mailer } from '#mail';
import { enqueueMail } from '#mail';
import { getSettings, type SettingsDeps } from '#settings';
import { LIMITS, parseComposer, type ComposerOp, type EditionFields, type ItemTexts } from './commands.ts';
import * as q from './queries.ts';
import { renderEdition, withPreviewLinks, type RenderedEdition, type RenderItem } from './render.ts';
import { localDate, nextFridayNine } from './schedule.ts';

export interface EditionsDeps {
  db: Db;
  clock: Clock;
  jobs: JobQueue;
  mailer: Mailer;
  settings: SettingsDeps;
  articles: ArticlesDeps;
  /** Tells this process (and, on PostgreSQL, the others) that public pages changed. */
  contentChanged: () => void;
  /** The delivery engine's entry point: fixes the audience of a rendered edition and starts delivery. */
  startSending: (editionId: number) => Promise<void>;
}

/** Editions the composer may still change. */
export const EDITABLE: readonly EditionStatus[] = ['draft', 'scheduled'];

export interface EditionItem {
  id: number;
  kind: 'article' | 'heading';
  heading: string;
  blurb: string;
  articleId: number | null;
  /** The article as it is now; null if it was unpublished or deleted since it was picked. */
  article: ArticleSummary | null;
}

export interface Edition {
  id: number;
  status: EditionStatus;
  slug: string | null;
  subject: string;
  preheader: string;
  intro: string;
  signOff: string;
  scheduledFor: string | null;
  autoFriday: string | null;
  startedAt: string | null;
  sentAt: string | null;
  recipientCount: number;
  createdAt: string;
  updatedAt: string;
  items: EditionItem[];
}

export type EditionSummary = Omit<Edition, 'items'>;

const NOT_FOUND = () => new NotFoundError('EDITIONS_NOT_FOUND', 'There is no such edition.');
const LOCKED = () =>
  new ConflictError('EDITIONS_LOCKED', 'This edition is being sent or was sent; it can no longer be changed.');

function toSummary(r: q.EditionRow): EditionSummary {
  return {
    id: r.id,
    status: r.status,
    slug: r.slug,
    subject: r.subject,
    preheader: r.preheader,
    intro: r.intro,
    signOff: r.sign_off,
    scheduledFor: r.scheduled_for,
    autoFriday: r.auto_friday,
    startedAt: r.started_at,
    sentAt: r.sent_at,
    recipientCount: r.recipient_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Rows as summaries (for lists). */
export function listEditionSummaries(rows: q.EditionRow[]): EditionSummary[] {
  return rows.map(toSummary);
}

async function withItems(deps: Pick<EditionsDeps, 'db' | 'articles'>, row: q.EditionRow): Promise<Edition> {
  const items = await q.listItems(deps.db.kysely, row.id);
  const ids = items.flatMap((i) => (i.article_id === null ? [] : [i.article_id]));
  const articles = new Map((await listPublishedByIds(deps.articles, ids)).map((a) => [a.id, a]));
  return {
    ...toSummary(row),
    items: items.map((i) => ({
      id: i.id,
      kind: i.kind,
      heading: i.heading,
      blurb: i.blurb,
      articleId: i.article_id,
      article: i.article_id === null ? null : (articles.get(i.article_id) ?? null),
    })),
  };
}

/** An edition with its items; throws EDITIONS_NOT_FOUND. */
export async function getEdition(deps: Pick<EditionsDeps, 'db' | 'articles'>, id: number): Promise<Edition> {
  const row = await q.findEdition(deps.db.kysely, id);
  if (!row) throw NOT_FOUND();
  return withItems(deps, row);
}

/** Every edition for the composer's list: drafts and scheduled first, then the sent ones. */
export async function listEditions(
  deps: EditionsDeps,
  page: number,
  perPage: number,
): Promise<{ items: EditionSummary[]; total: number }> {
  const { rows, total } = await q.listEditionRows(deps.db.kysely, null, perPage, (page - 1) * perPage);
  return { items: rows.map(toSummary), total };
}

/** A new draft for the coming Friday, with a subject to edit. */
export async function createEdition(deps: EditionsDeps, createdBy: number | null): Promise<number> {
  const settings = await getSettings(deps.settings);
  const friday = localDate(nextFridayNine(deps.clock.now(), settings.timeZone), settings.timeZone);
  const id = await q.insertEdition(deps.db.kysely, {
    subject: `${settings.name} weekly, ${friday}`.slice(0, LIMITS.subject),
    preheader: '',
    intro: '',
    signOff: '',
    autoFriday: null,
    createdBy,
    now: toDbTime(deps.clock.now()),
  });
  if (id === null) throw new ConflictError('EDITIONS_CONFLICT', 'The edition could not be created. Try again.');
  return id;
}

/** Items in their new order after moving one up or down; unchanged at either end. */
function moved(items: q.EditionItemRow[], itemId: number, dir: -1 | 1): q.EditionItemRow[] {
  const order = [...items];
  const i = order.findIndex((x) => x.id === itemId);
  const j = i + dir;
  if (i < 0 || j < 0 || j >= order.length) return order;
  [order[i], order[j]] = [order[j] as q.EditionItemRow, order[i] as q.EditionItemRow];
  return order;
}

/**
 * Saves the composer form (subject, preheader, intro, sign-off, every item's text) and applies
 * the button pressed: move an item, remove it, add an article or a heading. Validation runs
 * first, so a refused form changes nothing.
 */
export async function saveComposer(
  deps: EditionsDeps,
  id: number,
  input: EditionFields,
  texts: ItemTexts,
  rawOp: ComposerOp,
): Promise<void> {
  const { fields, texts: t, op } = parseComposer(input, texts, rawOp);
  let article: ArticleSummary | undefined;
  if (op.op === 'add-article') {
    article = (await listPublishedByIds(deps.articles, [op.articleId]))[0];
    if (!article)
      throw new ValidationError('EDITIONS_INVALID', 'Only published articles can be added.', {
        search: 'Only published articles can be added',
      });
  }
  const now = toDbTime(deps.clock.now());
  await deps.db.kysely.transaction().execute(async (trx) => {
    const row = await q.lockEdition(trx, deps.db.dialect, id);
    if (!row) throw NOT_FOUND();
    if (!EDITABLE.includes(row.status)) throw LOCKED();
    await q.updateEditionFields(
      trx,
      id,
      { subject: fields.subject, preheader: fields.preheader, intro: fields.intro, sign_off: fields.signOff },
      now,
    );
    const items = await q.listItems(trx, id);
    for (const item of items) {
      const heading = t.headings.get(item.id);
      const blurb = t.blurbs.get(item.id);
      if (
        (item.kind === 'heading' && heading !== undefined && heading !== item.heading) ||
        (item.kind === 'article' && blurb !== undefined && blurb !== item.blurb)
      ) {
        await q.updateItemText(trx, id, item.id, item.kind === 'heading' ? { heading } : { blurb });
      }
    }
    if (op.op === 'add-article' || op.op === 'add-heading') {
      if (items.length >= LIMITS.items)
        throw new ValidationError('EDITIONS_INVALID', 'An edition holds at most 40 items.', {
          items: `An edition holds at most ${LIMITS.items} items`,
        });
      if (op.op === 'add-article') {
        if (items.some((i) => i.article_id === op.articleId))
          throw new ValidationError('EDITIONS_INVALID', 'This article is already in the edition.', {
            search: 'This article is already in the edition',
          });
        await q.insertItem(trx, id, {
          kind: 'article',
          articleId: op.articleId,
          blurb: article?.standfirst.slice(0, LIMITS.blurb) ?? '',
        });
      } else await q.insertItem(trx, id, { kind: 'heading', heading: op.heading });
    } else if (op.op === 'remove') {
      await q.deleteItem(trx, id, op.itemId);
    } else if (op.op === 'up' || op.op === 'down') {
      const order = moved(items, op.itemId, op.op === 'up' ? -1 : 1);
      for (const [i, item] of order.entries())
        if (item.position !== i + 1) await q.setItemPosition(trx, item.id, i + 1);
    }
  });
}

/** Deletes a draft (never one that is scheduled or went out). */
export async function discardEdition(deps: EditionsDeps, id: number): Promise<void> {
  await deps.db.kysely.transaction().execute(async (trx) => {
    const row = await q.lockEdition(trx, deps.db.dialect, id);
    if (!row) throw NOT_FOUND();
    if (row.status !== 'draft')
      throw new ConflictError('EDITIONS_NOT_DRAFT', 'Only an unscheduled draft can be discarded. Unschedule it first.');
    await q.deleteEdition(trx, id);
  });
}

/** What rendering needs, from an edition as it stands. Articles unpublished since they were picked are left out. */
export async function renderInput(deps: EditionsDeps, edition: Edition, slug: string | null) {
  const settings = await getSettings(deps.settings);
  const items: RenderItem[] = edition.items.flatMap((i): RenderItem[] =>
    i.kind === 'heading'
      ? [{ kind: 'heading', heading: i.heading }]
      : i.article
        ? [{ kind: 'article', article: i.article, blurb: i.blurb }]
        : [],
  );
  return {
    subject: edition.subject,
    preheader: edition.preheader,
    intro: edition.intro,
    signOff: edition.signOff,
    items,
    publication: { name: settings.name, baseUrl: settings.baseUrl, language: settings.language },
    webUrl: slug ? `${settings.baseUrl}/newsletter/editions/${slug}` : null,
  };
}

/** The edition rendered as it would go out now, with harmless links in place of the personal ones. */
export async function previewEdition(deps: EditionsDeps, id: number): Promise<RenderedEdition> {
  const row = await q.findEdition(deps.db.kysely, id);
  if (!row) throw NOT_FOUND();
  const settings = await getSettings(deps.settings);
  const link = `${settings.baseUrl}/newsletter`;
  // Once it went out, show what was sent, not a new render of today's data.
  if (!EDITABLE.includes(row.status) && row.rendered_html !== null && row.rendered_text !== null) {
    return { html: withPreviewLinks(row.rendered_html, link), text: withPreviewLinks(row.rendered_text, link) };
  }
  const r = await renderEdition(await renderInput(deps, await withItems(deps, row), row.slug));
  return { html: withPreviewLinks(r.html, link), text: withPreviewLinks(r.text, link) };
}

/** Sends the preview to one staff member's own address, subject prefixed "[Test]". */
export async function sendTestEdition(deps: EditionsDeps, id: number, to: string): Promise<void> {
  const edition = await getEdition(deps, id);
  const r = await previewEdition(deps, id);
  await enqueueMail(deps, {
    to,
    subject: `[Test] ${edition.subject}`,
    html: r.html,
    text: r.text,
    category: 'newsletter.test',
  });
  deps.jobs.notify();
}
