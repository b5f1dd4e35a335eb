import type { Kysely } from 'kysely';
import type { Database, SubscriberEventKind } from '#db';
import { toDbTime } from '#db';
import type { NewsletterDeps } from './service.ts';

/** Soft bounces within this window that suppress an address. */
export const SOFT_BOUNCE_LIMIT = 3;
export const SOFT_BOUNCE_WINDOW_MS = 30 * 24 * 3_600_000;

export type BounceKind = 'hard' | 'soft' | 'complaint' | 'auto-reply';

export interface BounceReport {
  kind: BounceKind;
  /** Where it came from (`smtp`, `dsn`, `arf`, `webhook:generic`, `webhook:ses`…), kept with the event. */
  source: string;
  /** A short, address-free reason such as `5.1.1 user unknown`; truncated to 200 characters. */
  detail?: string;
  /** The edition the bounced message belonged to, when known. */
  editionId?: number | null;
}

export type BounceOutcome = 'suppressed' | 'counted' | 'ignored' | 'unknown';

/** Records one history event for the audience dashboard. */
export async function recordSubscriberEvent(
  db: Kysely<Database>,
  e: {
    subscriberId: number | null;
    kind: SubscriberEventKind;
    editionId?: number | null;
    detail?: string;
    now: string;
  },
): Promise<void> {
  await db
    .insertInto('subscriber_events')
    .values({
      subscriber_id: e.subscriberId,
      kind: e.kind,
      edition_id: e.editionId ?? null,
      detail: (e.detail ?? '').slice(0, 200),
      created_at: e.now,
    })
    .execute();
}

/**
 * Applies a bounce or complaint to a subscriber: a hard bounce or a complaint suppresses at
 * once; a soft bounce suppresses after SOFT_BOUNCE_LIMIT within SOFT_BOUNCE_WINDOW_MS; an
 * auto-reply never does. Suppressing an already suppressed or unsubscribed address changes
 * nothing, so a repeated notification is harmless. `trx` lets the delivery engine record the
 * bounce in the same transaction as the delivery's outcome.
 */
export async function applyBounce(
  deps: Pick<NewsletterDeps, 'db' | 'clock'>,
  subscriberId: number,
  report: BounceReport,
  trx?: Kysely<Database>,
): Promise<BounceOutcome> {
  if (report.kind === 'auto-reply') return 'ignored';
  const run = async (db: Kysely<Database>): Promise<BounceOutcome> => {
    const now = deps.clock.now();
    const nowText = toDbTime(now);
    const row = await db
      .selectFrom('subscribers')
      .select(['id', 'status'])
      .where('id', '=', subscriberId)
      .executeTakeFirst();
    if (!row) return 'unknown';
    const detail = report.detail ?? '';
    const base = { subscriberId, editionId: report.editionId ?? null, now: nowText };
    if (report.kind === 'soft') {
      await recordSubscriberEvent(db, { ...base, kind: 'soft_bounced', detail: `${report.source}: ${detail}` });
      const since = toDbTime(new Date(now.getTime() - SOFT_BOUNCE_WINDOW_MS));
      const recent = await db
        .selectFrom('subscriber_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('subscriber_id', '=', subscriberId)
        .where('kind', '=', 'soft_bounced')
        .where('created_at', '>=', since)
        .executeTakeFirstOrThrow();
      if (Number(recent.n) < SOFT_BOUNCE_LIMIT) return 'counted';
    }
    const to = report.kind === 'complaint' ? 'complained' : 'bounced';
    if (row.status === 'bounced' || row.status === 'complained') return 'suppressed';
    await db
      .updateTable('subscribers')
      .set({ status: to, updated_at: nowText })
      .where('id', '=', subscriberId)
      .execute();
    await recordSubscriberEvent(db, { ...base, kind: to, detail: `${report.source}: ${detail}` });
    return 'suppressed';
  };
  if (trx) return run(trx);
  return deps.db.kysely.transaction().execute(run);
}

/** The subscriber with this address (any case), for bounce reports that name an address. */
export async function subscriberIdByEmail(db: Kysely<Database>, email: string): Promise<number | null> {
  const r = await db
    .selectFrom('subscribers')
    .select('id')
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
  return r?.id ?? null;
}
