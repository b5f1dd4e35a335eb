import crypto from 'node:crypto';
import { domainToASCII } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database, DeliveryStatus, EditionStatus } from '#db';
import { toDbTime } from '#db';
import { AppError, ConflictError, NotFoundError } from '#lib/errors.ts';
import type { NewsletterDeps } from '../service.ts';
import { DELIVER_JOB, deliverJobKey } from './jobs.ts';
import * as q from './queries.ts';

/** What starting, pausing and resuming need: no mailer, no settings. */
export type SendingDeps = Pick<NewsletterDeps, 'db' | 'clock' | 'jobs' | 'fromAddress'>;

export interface DeliveryProgress {
  status: EditionStatus;
  /** Recipients fixed when sending started. */
  total: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Queued, being sent, or waiting for a retry. */
  remaining: number;
}

const NOT_FOUND = () => new NotFoundError('EDITION_NOT_FOUND', 'There is no such edition.');

function checkId(editionId: number): void {
  if (!Number.isSafeInteger(editionId) || editionId < 1) throw NOT_FOUND();
}

/** The domain of our Message-IDs: the From address's, in ASCII. */
export function messageIdDomain(fromAddress: string): string {
  return domainToASCII(fromAddress.slice(fromAddress.lastIndexOf('@') + 1)).toLowerCase() || 'masthead.invalid';
}

/** The lane-0 job of an edition; it starts the other lanes itself. */
export async function enqueueDelivery(
  deps: Pick<SendingDeps, 'jobs'>,
  editionId: number,
  opts: { trx: Kysely<Database>; uniqueKey: string },
): Promise<void> {
  await deps.jobs.enqueue(DELIVER_JOB, { editionId, lane: 0 }, { trx: opts.trx, uniqueKey: opts.uniqueKey });
}

/**
 * Starts sending an edition, in one transaction: the edition must be a draft or scheduled and
 * rendered; every subscriber active at this moment (and nobody else) gets one delivery row
 * with its Message-ID decided now; the edition becomes 'sending' with its audience fixed; the
 * sending job is enqueued. Either all of it happens or none.
 */
export async function startSending(deps: SendingDeps, editionId: number): Promise<{ recipients: number }> {
  checkId(editionId);
  const now = toDbTime(deps.clock.now());
  const domain = messageIdDomain(deps.fromAddress);
  const recipients = await deps.db.kysely.transaction().execute(async (trx) => {
    if (!(await q.markSending(trx, editionId, now))) {
      const e = await q.findEdition(trx, editionId);
      if (!e) throw NOT_FOUND();
      if (e.status !== 'draft' && e.status !== 'scheduled') {
        throw new ConflictError('EDITION_NOT_SENDABLE', `This edition cannot be sent: it is ${e.status}.`);
      }
      throw new AppError(
        422,
        'EDITION_NOT_RENDERED',
        'This edition has not been rendered yet. Save it again, then send it.',
      );
    }
    const count = await q.insertAudience(trx, deps.db.dialect, {
      editionId,
      nonce: crypto.randomBytes(6).toString('base64url').replace(/[-_]/g, 'x'),
      domain,
      now,
    });
    await q.setRecipientCount(trx, editionId, count);
    await enqueueDelivery(deps, editionId, { trx, uniqueKey: deliverJobKey(editionId, 0) });
    // Nobody to send to: the edition is sent at once.
    if (count === 0) await q.finishIfDone(trx, editionId, now);
    return count;
  });
  deps.jobs.notify();
  return { recipients };
}

/** Stops claiming new batches; messages already handed to a sender finish. */
export async function pauseSending(deps: SendingDeps, editionId: number): Promise<void> {
  checkId(editionId);
  const now = toDbTime(deps.clock.now());
  if (await q.transition(deps.db.kysely, editionId, 'sending', 'paused', now)) return;
  const status = await q.editionStatus(deps.db.kysely, editionId);
  if (!status) throw NOT_FOUND();
  if (status === 'paused') return;
  throw new ConflictError(
    'EDITION_NOT_SENDING',
    `Only an edition that is sending can be paused; this one is ${status}.`,
  );
}

/** Continues a paused send where it stopped. */
export async function resumeSending(deps: SendingDeps, editionId: number): Promise<void> {
  checkId(editionId);
  const now = toDbTime(deps.clock.now());
  const resumed = await deps.db.kysely.transaction().execute(async (trx) => {
    if (!(await q.transition(trx, editionId, 'paused', 'sending', now))) return false;
    // A fresh key: the old job may still be finishing after seeing the pause, and a unique
    // key shared with it would be swallowed when it completes.
    await enqueueDelivery(deps, editionId, { trx, uniqueKey: deliverJobKey(editionId, `resume:${now}`) });
    // Everything may have finished while paused.
    await q.finishIfDone(trx, editionId, now);
    return true;
  });
  if (resumed) {
    deps.jobs.notify();
    return;
  }
  const status = await q.editionStatus(deps.db.kysely, editionId);
  if (!status) throw NOT_FOUND();
  if (status === 'sending' || status === 'sent') return;
  throw new ConflictError('EDITION_NOT_PAUSED', `Only a paused edition can be resumed; this one is ${status}.`);
}

/** Counts for the progress page. */
export async function deliveryProgress(deps: Pick<SendingDeps, 'db'>, editionId: number): Promise<DeliveryProgress> {
  checkId(editionId);
  const status = await q.editionStatus(deps.db.kysely, editionId);
  if (!status) throw NOT_FOUND();
  const counts = await q.countByStatus(deps.db.kysely, editionId);
  const n = (s: DeliveryStatus) => counts.get(s) ?? 0;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return {
    status,
    total,
    sent: n('sent'),
    failed: n('failed'),
    skipped: n('skipped'),
    remaining: n('queued') + n('sending'),
  };
}

/** What the newsroom's delivery page shows: the counts, the edition's times and the latest errors (never an address). */
export interface DeliveryOverview extends DeliveryProgress {
  editionId: number;
  subject: string;
  startedAt: string | null;
  sentAt: string | null;
  errors: { status: DeliveryStatus; error: string; attempts: number }[];
}

const asText = (v: string | Date | null): string | null => (v instanceof Date ? v.toISOString() : v);

export async function deliveryOverview(deps: Pick<SendingDeps, 'db'>, editionId: number): Promise<DeliveryOverview> {
  const progress = await deliveryProgress(deps, editionId);
  const e = await deps.db.kysely
    .selectFrom('editions')
    .select(['subject', 'started_at', 'sent_at'])
    .where('id', '=', editionId)
    .executeTakeFirstOrThrow();
  const errors = await q.lastErrors(deps.db.kysely, editionId, 10);
  return {
    ...progress,
    editionId,
    subject: e.subject,
    startedAt: asText(e.started_at as string | Date | null),
    sentAt: asText(e.sent_at as string | Date | null),
    errors: errors.map((r) => ({ status: r.status, error: r.last_error, attempts: r.attempts })),
  };
}
