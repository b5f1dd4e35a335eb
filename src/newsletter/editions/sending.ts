import { listPublishedByIds, listPublishedSummariesBetween } from '#articles';
import { toDbTime } from '#db';
import { ConflictError, NotFoundError, ValidationError } from '#lib/errors.ts';
import { slugify } from '#lib/slug.ts';
import { getSettings } from '#settings';
import * as q from './queries.ts';
import { renderEdition } from './render.ts';
import { localDate, nextFridayNine } from './schedule.ts';
import { EDITION_SEND_JOB, sendJobKey } from './jobs.ts';
import { EDITABLE, getEdition, renderInput, type EditionsDeps } from './service.ts';

/** How far ahead an edition may be scheduled. */
export const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 3_600_000;
/** An automatic draft is for the first Friday 09:00 at least this long after sending started. */
export const AUTO_DRAFT_GAP_MS = 24 * 3_600_000;
/** How many of the week's articles an automatic draft suggests. */
export const AUTO_DRAFT_ITEMS = 12;

const NOT_FOUND = () => new NotFoundError('EDITIONS_NOT_FOUND', 'There is no such edition.');

/**
 * Schedules an edition (or moves its time): `at` in the future, or null for "send now". The
 * durable send job is keyed by edition, so scheduling again moves the one job.
 */
export async function scheduleEdition(deps: EditionsDeps, id: number, at: Date | null): Promise<Date> {
  const now = deps.clock.now();
  const when = at ?? now;
  if (at !== null) {
    if (at.getTime() <= now.getTime())
      throw new ValidationError('EDITIONS_INVALID', 'Choose a time in the future, or send now.', {
        at: 'Choose a time in the future, or send now',
      });
    if (at.getTime() - now.getTime() > MAX_SCHEDULE_AHEAD_MS)
      throw new ValidationError('EDITIONS_INVALID', 'Choose a time within the next year.', {
        at: 'Choose a time within the next year',
      });
  }
  const empty = () =>
    new ValidationError('EDITIONS_EMPTY', 'Add at least one published article before scheduling.', {
      items: 'Add at least one published article before scheduling',
    });
  const picked = (await q.listItems(deps.db.kysely, id)).flatMap((i) => (i.article_id === null ? [] : [i.article_id]));
  if ((await listPublishedByIds(deps.articles, picked)).length === 0) throw empty();
  await deps.db.kysely.transaction().execute(async (trx) => {
    const row = await q.lockEdition(trx, deps.db.dialect, id);
    if (!row) throw NOT_FOUND();
    if (!EDITABLE.includes(row.status))
      throw new ConflictError('EDITIONS_LOCKED', 'This edition is being sent or was sent already.');
    const items = await q.listItems(trx, id);
    if (!items.some((i) => i.kind === 'article')) throw empty();
    await q.updateEditionFields(trx, id, { status: 'scheduled', scheduled_for: toDbTime(when) }, toDbTime(now));
    await deps.jobs.enqueue(EDITION_SEND_JOB, { editionId: id }, { trx, uniqueKey: sendJobKey(id), runAt: when });
  });
  deps.jobs.notify();
  return when;
}

/** Takes a scheduled edition back to draft and cancels its send job. */
export async function unscheduleEdition(deps: EditionsDeps, id: number): Promise<void> {
  await deps.db.kysely.transaction().execute(async (trx) => {
    const row = await q.lockEdition(trx, deps.db.dialect, id);
    if (!row) throw NOT_FOUND();
    if (row.status !== 'scheduled') throw new ConflictError('EDITIONS_NOT_SCHEDULED', 'This edition is not scheduled.');
    await q.updateEditionFields(trx, id, { status: 'draft', scheduled_for: null }, toDbTime(deps.clock.now()));
    await deps.jobs.cancel(sendJobKey(id), trx);
  });
}

/** A slug for the web page: the local date and the subject, made unique with a number. */
async function uniqueSlug(deps: EditionsDeps, subject: string, at: Date, timeZone: string): Promise<string> {
  const base = `${localDate(at, timeZone)}-${slugify(subject, 60) || 'edition'}`;
  for (let n = 1; n < 100; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!(await q.slugTaken(deps.db.kysely, slug))) return slug;
  }
  return `${base}-${at.getTime()}`;
}

/**
 * The send job's work: when a scheduled edition is due, render it once, store the HTML and
 * text, and hand it to the delivery engine. Runs again harmlessly: a moved or cancelled
 * schedule is left alone, and an edition already handed over only gets its follow-ups
 * (next Friday's draft, fresh public pages).
 */
export async function sendDueEdition(deps: EditionsDeps, id: number): Promise<'sent' | 'not-due' | 'already'> {
  const row = await q.findEdition(deps.db.kysely, id);
  if (!row) return 'not-due';
  if (q.PUBLIC_STATUSES.includes(row.status)) {
    await afterSendingStarted(deps);
    return 'already';
  }
  const now = deps.clock.now();
  if (row.status !== 'scheduled' || row.scheduled_for === null || row.scheduled_for > toDbTime(now)) return 'not-due';
  const settings = await getSettings(deps.settings);
  const edition = await getEdition(deps, id);
  const slug = row.slug ?? (await uniqueSlug(deps, row.subject, now, settings.timeZone));
  const rendered = await renderEdition(await renderInput(deps, edition, slug));
  // Only if nobody unscheduled or edited it while it rendered; otherwise a later run decides.
  const stored = await deps.db.kysely.transaction().execute(async (trx) => {
    const again = await q.lockEdition(trx, deps.db.dialect, id);
    if (!again || again.status !== 'scheduled' || again.updated_at !== row.updated_at) return false;
    return q.updateEditionFields(
      trx,
      id,
      { slug, rendered_html: rendered.html, rendered_text: rendered.text },
      toDbTime(now),
      ['scheduled'],
    );
  });
  if (!stored) return 'not-due';
  await deps.startSending(id);
  await afterSendingStarted(deps);
  return 'sent';
}

async function afterSendingStarted(deps: EditionsDeps): Promise<void> {
  await ensureAutoDraft(deps);
  await q.bumpContentVersion(deps.db.kysely, toDbTime(deps.clock.now()));
  deps.contentChanged();
}

/**
 * Makes next Friday's draft (the first Friday 09:00 at least a day away), suggesting the
 * articles published in the seven days before now. At most one per Friday: the unique
 * auto_friday column turns a second attempt into a no-op. Returns the new id or null.
 */
export async function ensureAutoDraft(deps: EditionsDeps): Promise<number | null> {
  const now = deps.clock.now();
  const settings = await getSettings(deps.settings);
  const friday = nextFridayNine(new Date(now.getTime() + AUTO_DRAFT_GAP_MS), settings.timeZone);
  const fridayDate = localDate(friday, settings.timeZone);
  const articles = await listPublishedSummariesBetween(
    deps.articles,
    new Date(now.getTime() - 7 * 24 * 3_600_000),
    new Date(now.getTime() + 1),
    AUTO_DRAFT_ITEMS,
  );
  return deps.db.kysely.transaction().execute(async (trx) => {
    const id = await q.insertEdition(trx, {
      subject: `${settings.name} weekly, ${fridayDate}`.slice(0, 200),
      preheader: '',
      intro: '',
      signOff: '',
      autoFriday: fridayDate,
      createdBy: null,
      now: toDbTime(now),
    });
    if (id === null) return null;
    // Oldest first reads like the week; the editor prunes and reorders.
    for (const a of [...articles].reverse())
      await q.insertItem(trx, id, { kind: 'article', articleId: a.id, blurb: a.standfirst.slice(0, 2000) });
    return id;
  });
}
