import { monthOf, toDbTime, type SubscriberEventKind, type SubscriberStatus } from '#db';
import type { NewsletterDeps } from './service.ts';

type Deps = Pick<NewsletterDeps, 'db' | 'clock'>;

export type StatusCounts = Record<SubscriberStatus, number>;

/** How many subscribers are in each state now. */
export async function subscriberCounts(deps: Deps): Promise<StatusCounts> {
  const rows = await deps.db.kysely
    .selectFrom('subscribers')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts: StatusCounts = { pending: 0, active: 0, unsubscribed: 0, bounced: 0, complained: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export interface MonthHistory {
  month: string; // YYYY-MM
  confirmed: number;
  unsubscribed: number;
  /** Hard bounces and suppressing soft ones. */
  bounced: number;
  complained: number;
  /** Active subscribers at the end of the month, worked back from today's count. */
  activeAtEnd: number;
}

/**
 * Subscriber history by calendar month (UTC) for the given months, oldest first. The
 * active count at each month's end is today's count minus the net changes recorded since;
 * rows erased while active are not in it (erasure keeps no status), so it can be slightly
 * high for months before an erasure.
 */
export async function monthlyHistory(deps: Deps, months: readonly string[]): Promise<MonthHistory[]> {
  const first = months[0];
  if (!first) return [];
  const k = deps.db.kysely;
  const month = monthOf(deps.db.dialect, 'created_at');
  const rows = await k
    .selectFrom('subscriber_events')
    .select([month.as('month'), 'kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('created_at', '>=', toDbTime(new Date(`${first}-01T00:00:00Z`)))
    .groupBy([month, 'kind'])
    .execute();
  const byMonth = new Map<string, Partial<Record<SubscriberEventKind, number>>>();
  for (const r of rows) {
    const m = byMonth.get(r.month) ?? {};
    m[r.kind] = Number(r.n);
    byMonth.set(r.month, m);
  }
  const counts = await subscriberCounts(deps);
  const out: MonthHistory[] = [];
  let active = counts.active;
  // Walk back from the newest month; events after the last listed month (none, normally) are ignored.
  for (let i = months.length - 1; i >= 0; i--) {
    const key = months[i] ?? '';
    const m = byMonth.get(key) ?? {};
    const entry: MonthHistory = {
      month: key,
      confirmed: m.confirmed ?? 0,
      unsubscribed: m.unsubscribed ?? 0,
      bounced: m.bounced ?? 0,
      complained: m.complained ?? 0,
      activeAtEnd: Math.max(0, active),
    };
    out.unshift(entry);
    active -=
      (m.confirmed ?? 0) + (m.resubscribed ?? 0) - (m.unsubscribed ?? 0) - (m.bounced ?? 0) - (m.complained ?? 0);
  }
  return out;
}

export interface EditionStats {
  id: number;
  subject: string;
  status: string;
  startedAt: string | null;
  sentAt: string | null;
  recipients: number;
  sent: number;
  failed: number;
  skipped: number;
  remaining: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
}

/** Per-edition delivery figures for the editions that went out (or are going), newest first. */
export async function editionStats(deps: Deps, limit = 24): Promise<EditionStats[]> {
  const k = deps.db.kysely;
  const editions = await k
    .selectFrom('editions')
    .select(['id', 'subject', 'status', 'started_at', 'sent_at', 'recipient_count'])
    .where('status', 'in', ['sending', 'paused', 'sent'])
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  if (editions.length === 0) return [];
  const ids = editions.map((e) => e.id);
  const deliveries = await k
    .selectFrom('deliveries')
    .select(['edition_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('edition_id', 'in', ids)
    .groupBy(['edition_id', 'status'])
    .execute();
  const events = await k
    .selectFrom('subscriber_events')
    .select(['edition_id', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('edition_id', 'in', ids)
    .groupBy(['edition_id', 'kind'])
    .execute();
  return editions.map((e) => {
    const d = (s: string) => Number(deliveries.find((x) => x.edition_id === e.id && x.status === s)?.n ?? 0);
    const ev = (kind: SubscriberEventKind) =>
      Number(events.find((x) => x.edition_id === e.id && x.kind === kind)?.n ?? 0);
    return {
      id: e.id,
      subject: e.subject,
      status: e.status,
      startedAt: e.started_at,
      sentAt: e.sent_at,
      recipients: e.recipient_count,
      sent: d('sent'),
      failed: d('failed'),
      skipped: d('skipped'),
      remaining: d('queued') + d('sending'),
      bounced: ev('bounced'),
      complained: ev('complained'),
      unsubscribed: ev('unsubscribed'),
    };
  });
}
