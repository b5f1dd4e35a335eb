import { monthOf, toDbTime } from '#db';
import type { SupportDeps } from './deps.ts';

type Deps = Pick<SupportDeps, 'db' | 'clock'>;

export interface CurrencyMonth {
  month: string; // YYYY-MM
  currency: string;
  /** Net one-time money received (payments less their refunds and disputes). */
  once: number;
  /** Net money from monthly and annual plans. */
  recurring: number;
  /** Supporters whose first payment fell in this month. */
  newSupporters: number;
  /** Plans cancelled in this month. */
  cancelledPlans: number;
}

export interface RecurringNow {
  currency: string;
  /** Monthly recurring revenue: monthly plans plus a twelfth of annual plans, in minor units. */
  mrr: number;
  monthlyPlans: number;
  annualPlans: number;
}

export interface RevenueReport {
  months: string[];
  currencies: string[];
  byMonth: CurrencyMonth[];
  recurring: RecurringNow[];
}

/**
 * The revenue dashboard's figures from our own ledger (never from the provider at request
 * time): money by calendar month (UTC), currency and frequency, new supporters and
 * cancellations, and today's recurring revenue. Amounts are integer minor units.
 */
export async function revenueReport(deps: Deps, months: readonly string[]): Promise<RevenueReport> {
  const first = months[0];
  if (!first) return { months: [], currencies: [], byMonth: [], recurring: [] };
  const since = toDbTime(new Date(`${first}-01T00:00:00Z`));
  const k = deps.db.kysely;
  const d = deps.db.dialect;
  const paidMonth = monthOf(d, 'occurred_at');
  const money = await k
    .selectFrom('payments')
    .select([paidMonth.as('month'), 'currency', 'frequency', (eb) => eb.fn.sum<number>('amount').as('total')])
    .where('occurred_at', '>=', since)
    .groupBy([paidMonth, 'currency', 'frequency'])
    .execute();

  // A supporter is new in the month of their first payment ever (not just in the window).
  const firsts = await k
    .selectFrom('payments')
    .select(['supporter_id', 'currency', (eb) => eb.fn.min<string>('occurred_at').as('first_at')])
    .where('kind', '=', 'payment')
    .where('supporter_id', 'is not', null)
    .groupBy(['supporter_id', 'currency'])
    .execute();

  const cancelMonth = monthOf(d, 'canceled_at');
  const cancels = await k
    .selectFrom('recurring_plans')
    .select([cancelMonth.as('month'), 'currency', (eb) => eb.fn.countAll<number>().as('n')])
    .where('canceled_at', '>=', since)
    .groupBy([cancelMonth, 'currency'])
    .execute();

  const active = await k
    .selectFrom('recurring_plans')
    .select([
      'currency',
      'frequency',
      (eb) => eb.fn.sum<number>('amount').as('total'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('status', 'in', ['active', 'past_due'])
    .groupBy(['currency', 'frequency'])
    .execute();

  const cells = new Map<string, CurrencyMonth>();
  const cell = (month: string, currency: string): CurrencyMonth | null => {
    if (!months.includes(month)) return null;
    const key = `${month}|${currency}`;
    let c = cells.get(key);
    if (!c) {
      c = { month, currency, once: 0, recurring: 0, newSupporters: 0, cancelledPlans: 0 };
      cells.set(key, c);
    }
    return c;
  };
  for (const r of money) {
    const c = cell(r.month, r.currency);
    if (!c) continue;
    if (r.frequency === 'once') c.once += Number(r.total);
    else c.recurring += Number(r.total);
  }
  for (const r of firsts) {
    const at = typeof r.first_at === 'string' ? r.first_at : new Date(r.first_at).toISOString();
    const c = cell(at.slice(0, 7), r.currency);
    if (c) c.newSupporters++;
  }
  for (const r of cancels) {
    const c = cell(r.month, r.currency);
    if (c) c.cancelledPlans += Number(r.n);
  }

  const recurring = new Map<string, RecurringNow>();
  for (const r of active) {
    const now = recurring.get(r.currency) ?? { currency: r.currency, mrr: 0, monthlyPlans: 0, annualPlans: 0 };
    const total = Number(r.total);
    if (r.frequency === 'month') {
      now.mrr += total;
      now.monthlyPlans += Number(r.n);
    } else {
      now.mrr += Math.round(total / 12);
      now.annualPlans += Number(r.n);
    }
    recurring.set(r.currency, now);
  }

  const byMonth = [...cells.values()].sort(
    (a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency),
  );
  const currencies = [...new Set([...byMonth.map((c) => c.currency), ...recurring.keys()])].sort();
  return {
    months: [...months],
    currencies,
    byMonth,
    recurring: [...recurring.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

export interface LedgerRow {
  id: number;
  occurredAt: string;
  kind: string;
  frequency: string;
  amount: number;
  currency: string;
  provider: string;
  providerObjectId: string;
  supporterId: number | null;
  planId: number | null;
}

/** The whole ledger, oldest first, in pages so an export never holds it all in memory. */
export async function* ledgerRows(deps: Deps, pageSize = 1000): AsyncGenerator<LedgerRow> {
  let after = 0;
  for (;;) {
    const rows = await deps.db.kysely
      .selectFrom('payments')
      .select([
        'id',
        'occurred_at',
        'kind',
        'frequency',
        'amount',
        'currency',
        'provider',
        'provider_object_id',
        'supporter_id',
        'plan_id',
      ])
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    for (const r of rows) {
      yield {
        id: r.id,
        occurredAt: r.occurred_at,
        kind: r.kind,
        frequency: r.frequency,
        amount: r.amount,
        currency: r.currency,
        provider: r.provider,
        providerObjectId: r.provider_object_id,
        supporterId: r.supporter_id,
        planId: r.plan_id,
      };
    }
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = last.id;
  }
}
