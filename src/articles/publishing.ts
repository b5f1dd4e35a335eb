import { toDbTime } from '#db';
import { NotFoundError, ValidationError } from '#lib/errors.ts';
import { PUBLISH_JOB, publishJobKey as jobKey } from './jobs.ts';
import * as q from './queries.ts';
import type { ArticlesDeps } from './service.ts';

/**
 * Schedules an article for publication at `at`. The durable job is written in the same
 * transaction, so the schedule and the job exist together or not at all; if the server is
 * down at that time, the job runs as soon as a worker starts.
 */
export async function scheduleArticle(deps: ArticlesDeps, id: number, at: Date): Promise<void> {
  const now = deps.clock.now();
  if (Number.isNaN(at.getTime()))
    throw new ValidationError('ARTICLES_INVALID', 'The article has errors.', {
      publishedAt: 'Give a valid date and time',
    });
  let wasPublic = false;
  await deps.db.kysely.transaction().execute(async (trx) => {
    const row = await q.findArticleRowById(trx, id);
    if (!row) throw new NotFoundError('ARTICLES_NOT_FOUND', 'No such article.');
    wasPublic = row.status === 'published';
    await q.updateArticle(trx, id, { status: 'scheduled', published_at: toDbTime(at), modified_at: toDbTime(now) });
    if (wasPublic) await q.bumpContentVersion(trx, toDbTime(now));
    await deps.jobs.enqueue(PUBLISH_JOB, { articleId: id }, { runAt: at, uniqueKey: jobKey(id), trx });
  });
  deps.jobs.notify();
  if (wasPublic) deps.contentChanged();
}

/** Takes a scheduled article off the schedule (back to draft). */
export async function unscheduleArticle(deps: ArticlesDeps, id: number): Promise<void> {
  const now = toDbTime(deps.clock.now());
  await deps.db.kysely.transaction().execute(async (trx) => {
    const row = await q.findArticleRowById(trx, id);
    if (!row) throw new NotFoundError('ARTICLES_NOT_FOUND', 'No such article.');
    if (row.status === 'scheduled') await q.updateArticle(trx, id, { status: 'draft', modified_at: now });
    await deps.jobs.cancel(jobKey(id), trx);
  });
}

/**
 * Publishes a scheduled article whose time has come. Safe to run any number of times: an
 * article that is no longer scheduled, or scheduled later, is left alone.
 */
export async function publishIfDue(deps: ArticlesDeps, id: number): Promise<boolean> {
  const now = deps.clock.now();
  const published = await deps.db.kysely.transaction().execute(async (trx) => {
    const row = await q.findArticleRowById(trx, id);
    if (!row || row.status !== 'scheduled' || !row.published_at) return false;
    if (new Date(row.published_at).getTime() > now.getTime()) return false;
    await q.updateArticle(trx, id, { status: 'published', modified_at: toDbTime(now) });
    await q.bumpContentVersion(trx, toDbTime(now));
    return true;
  });
  if (published) deps.contentChanged();
  return published;
}

/** Publishes an article now (from draft, scheduled or unpublished). */
export async function publishNow(deps: ArticlesDeps, id: number): Promise<void> {
  const now = toDbTime(deps.clock.now());
  await deps.db.kysely.transaction().execute(async (trx) => {
    const row = await q.findArticleRowById(trx, id);
    if (!row) throw new NotFoundError('ARTICLES_NOT_FOUND', 'No such article.');
    if (row.status === 'published') return;
    const keepTime = row.status === 'unpublished' && row.published_at !== null;
    await q.updateArticle(trx, id, {
      status: 'published',
      published_at: keepTime ? row.published_at : now,
      modified_at: now,
    });
    await q.bumpContentVersion(trx, now);
    await deps.jobs.cancel(jobKey(id), trx);
  });
  deps.contentChanged();
}

/** Takes an article off the site (published → unpublished; scheduled → draft). */
export async function unpublishArticle(deps: ArticlesDeps, id: number): Promise<void> {
  const now = toDbTime(deps.clock.now());
  let changed = false;
  await deps.db.kysely.transaction().execute(async (trx) => {
    const row = await q.findArticleRowById(trx, id);
    if (!row) throw new NotFoundError('ARTICLES_NOT_FOUND', 'No such article.');
    if (row.status === 'scheduled') {
      await q.updateArticle(trx, id, { status: 'draft', modified_at: now });
      await deps.jobs.cancel(jobKey(id), trx);
    } else if (row.status === 'published') {
      await q.updateArticle(trx, id, { status: 'unpublished', modified_at: now });
      await q.bumpContentVersion(trx, now);
      changed = true;
    }
  });
  if (changed) deps.contentChanged();
}
