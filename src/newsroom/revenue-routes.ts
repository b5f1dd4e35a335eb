import { Readable } from 'node:stream';
import { can, recordAudit } from '#accounts';
import { html, type SafeHtml } from '#lib/html.ts';
import * as support from '#support';
import { chart, lastMonths, monthAxisLabels, monthLabel } from './charts.ts';
import type { RouteSpec } from './framework.ts';

const MONTHS = 12;

function recurringList(r: support.RecurringNow[]): SafeHtml {
  if (r.length === 0) return html`<p>No active monthly or annual supporters yet.</p>`;
  return html`<ul class="nr-stats">${r.map(
    (x) =>
      html`<li><strong>${support.formatMoney(x.mrr, x.currency)}</strong>monthly recurring revenue in ${x.currency} <span class="nr-hint">${x.monthlyPlans} monthly, ${x.annualPlans} annual</span></li>`,
  )}</ul>`;
}

function monthTable(report: support.RevenueReport, currency: string): SafeHtml {
  const rows = report.months.map(
    (m) =>
      report.byMonth.find((c) => c.month === m && c.currency === currency) ?? {
        month: m,
        currency,
        once: 0,
        recurring: 0,
        newSupporters: 0,
        cancelledPlans: 0,
      },
  );
  return html`<table class="nr-table"><thead><tr><th scope="col">Month</th><th scope="col">One-time</th><th scope="col">Monthly and annual</th><th scope="col">Total</th><th scope="col">New supporters</th><th scope="col">Cancelled plans</th></tr></thead><tbody>
${rows.map(
  (c) =>
    html`<tr><th scope="row">${monthLabel(c.month)}</th><td>${support.formatMoney(c.once, currency)}</td><td>${support.formatMoney(c.recurring, currency)}</td><td>${support.formatMoney(c.once + c.recurring, currency)}</td><td>${c.newSupporters}</td><td>${c.cancelledPlans}</td></tr>`,
)}
</tbody></table>`;
}

function currencySection(report: support.RevenueReport, currency: string): SafeHtml {
  const cells = report.months.map((m) => report.byMonth.find((c) => c.month === m && c.currency === currency));
  const labels = report.months.map(monthLabel);
  const axisLabels = monthAxisLabels(report.months);
  const money = (n: number) => support.formatMoney(Math.round(n), currency);
  return html`<section aria-labelledby="rev-${currency}"><h2 id="rev-${currency}">${currency}</h2>
${chart(
  {
    title: `Money received per month in ${currency}, net of refunds`,
    labels,
    axisLabels,
    kind: 'bars',
    format: money,
    series: [
      { name: 'One-time', values: cells.map((c) => c?.once ?? 0) },
      { name: 'Monthly and annual', values: cells.map((c) => c?.recurring ?? 0) },
    ],
  },
  `money-${currency}`,
)}
${chart(
  {
    title: `New supporters and cancelled plans per month (${currency})`,
    labels,
    axisLabels,
    kind: 'bars',
    series: [
      { name: 'New supporters', values: cells.map((c) => c?.newSupporters ?? 0) },
      { name: 'Cancelled plans', values: cells.map((c) => c?.cancelledPlans ?? 0) },
    ],
  },
  `people-${currency}`,
)}
${monthTable(report, currency)}
</section>`;
}

/** A CSV cell: quoted when needed, and text that a spreadsheet would run as a formula is defused. */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CSV_HEADER = 'id,occurred_at,kind,frequency,amount,currency,provider,provider_object_id,supporter_id,plan_id\r\n';

async function* csvLines(rows: AsyncGenerator<support.LedgerRow>): AsyncGenerator<string> {
  yield CSV_HEADER;
  for await (const r of rows) {
    // Amounts as decimal units (all supported currencies have two decimals); negative for refunds.
    const amount = (r.amount / 100).toFixed(2);
    yield `${[r.id, csvCell(r.occurredAt), csvCell(r.kind), csvCell(r.frequency), amount, csvCell(r.currency), csvCell(r.provider), csvCell(r.providerObjectId), csvCell(r.supporterId), csvCell(r.planId)].join(',')}\r\n`;
  }
}

/**
 * The revenue dashboard (owners and admins, who all sign in with 2FA) and the ledger export
 * (owners only, audit-logged). Figures come from our ledger; nobody's address is shown or
 * exported: supporters appear as their row number only.
 */
export const revenueRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/revenue',
    access: 'staff',
    action: 'revenue.view',
    async handler(ctx) {
      const m = ctx.request.server.masthead;
      const report = await support.revenueReport(m.support, lastMonths(m.clock.now(), MONTHS));
      const exportLink =
        ctx.session && can(ctx.session.staff.role, 'ledger.export')
          ? html`<p><a class="nr-button" href="/newsroom/revenue/ledger.csv" download>Download the ledger (CSV)</a> <span class="nr-hint">Every money movement; refunds negative. The download is recorded in the audit log.</span></p>`
          : '';
      return ctx.page(
        'Revenue',
        html`<h1>Revenue</h1>
${m.support.provider.testMode ? html`<p class="nr-flash" role="note"><strong>TEST MODE — no money moves.</strong> These figures come from the built-in test provider.</p>` : ''}
${recurringList(report.recurring)}
${report.currencies.length === 0 ? html`<p>No money has been received yet.</p>` : report.currencies.map((c) => currencySection(report, c))}
${exportLink}`,
      );
    },
  },
  {
    method: 'GET',
    url: '/revenue/ledger.csv',
    access: 'staff',
    action: 'ledger.export',
    async handler({ request, reply, session }) {
      const m = request.server.masthead;
      await recordAudit(m.accounts, session?.staff ?? null, 'support.ledger_exported', null);
      const day = m.clock.now().toISOString().slice(0, 10);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="ledger-${day}.csv"`)
        .type('text/csv; charset=utf-8')
        .send(Readable.from(csvLines(support.ledgerRows(m.support))));
    },
  },
];
