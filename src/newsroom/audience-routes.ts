import { can, recordAudit } from '#accounts';
import { getSettings } from '#settings';
import { html, type SafeHtml } from '#lib/html.ts';
import * as newsletter from '#newsletter';
import { chart, lastMonths, monthAxisLabels, monthLabel } from './charts.ts';
import type { RouteContext, RouteSpec } from './framework.ts';
import { str } from '#http';

const MONTHS = 12;

const when = (iso: string | null) => (iso ? html`<time datetime="${iso}">${iso.slice(0, 10)}</time>` : html`—`);

function statusList(c: newsletter.StatusCounts): SafeHtml {
  const item = (label: string, n: number, hint: string) =>
    html`<li><strong>${n.toLocaleString('en-GB')}</strong>${label} <span class="nr-hint">${hint}</span></li>`;
  return html`<ul class="nr-stats">
${item('active', c.active, 'confirmed, receive editions')}
${item('pending', c.pending, 'not yet confirmed')}
${item('unsubscribed', c.unsubscribed, 'left by choice')}
${item('bounced', c.bounced, 'suppressed: address fails')}
${item('complained', c.complained, 'suppressed: marked as spam')}
</ul>`;
}

function editionTable(rows: newsletter.EditionStats[]): SafeHtml {
  if (rows.length === 0) return html`<p>No edition has been sent yet.</p>`;
  return html`<table class="nr-table"><thead><tr>
<th scope="col">Edition</th><th scope="col">Sent on</th><th scope="col">Recipients</th><th scope="col">Delivered to the server</th><th scope="col">Failed</th><th scope="col">Skipped</th><th scope="col">Still to send</th><th scope="col">Bounced</th><th scope="col">Complaints</th><th scope="col">Unsubscribed</th>
</tr></thead><tbody>
${rows.map(
  (
    e,
  ) => html`<tr><th scope="row"><a href="/newsroom/newsletter/editions/${e.id}">${e.subject || '(no subject)'}</a>${e.status === 'sent' ? '' : html` <span class="nr-hint">(${e.status})</span>`}</th>
<td>${when(e.sentAt ?? e.startedAt)}</td><td>${e.recipients}</td><td>${e.sent}</td><td>${e.failed}</td><td>${e.skipped}</td><td>${e.remaining}</td><td>${e.bounced}</td><td>${e.complained}</td><td>${e.unsubscribed}</td></tr>`,
)}
</tbody></table>`;
}

async function webhookPanel(ctx: RouteContext): Promise<SafeHtml> {
  const m = ctx.request.server.masthead;
  const base = (await getSettings(m.settings)).baseUrl;
  const url = `${base}/webhooks/newsletter/bounces/${await newsletter.bounceWebhookSecret(m.newsletter)}`;
  return html`<section aria-labelledby="bounces-h"><h2 id="bounces-h">Bounce and complaint notifications</h2>
<p>Give this address to your mail provider's bounce and complaint webhook (Postmark's format is understood), or have your mail server forward bounce messages (DSN) and abuse reports (ARF) to it as <code>message/rfc822</code>. Hard bounces and complaints stop mail to the address at once; soft bounces after three in 30 days; auto-replies never do.</p>
<p><input class="nr-secret" readonly value="${url}" aria-label="Bounce webhook address" size="80"></p>
<form method="post" action="/newsroom/audience/bounce-webhook/rotate" class="nr-inline">
<input type="hidden" name="_csrf" value="${ctx.csrf()}">
<button type="submit">Make a new address</button> <span class="nr-hint">The current one stops working at once.</span>
</form></section>`;
}

/**
 * The audience dashboard: subscribers over time and what happened to each edition. Only
 * counts: no addresses, and no opens or clicks, because Masthead does not track them.
 */
export const audienceRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/audience',
    access: 'staff',
    action: 'audience.view',
    async handler(ctx) {
      const m = ctx.request.server.masthead;
      const months = lastMonths(m.clock.now(), MONTHS);
      const [counts, history, editions] = await Promise.all([
        newsletter.subscriberCounts(m.newsletter),
        newsletter.monthlyHistory(m.newsletter, months),
        newsletter.editionStats(m.newsletter),
      ]);
      const labels = history.map((h) => monthLabel(h.month));
      const axisLabels = monthAxisLabels(months);
      const recent = editions.slice(0, 12).reverse();
      const flash =
        str(ctx.request.query, 'done') === 'rotated'
          ? 'A new webhook address was made; the old one no longer works.'
          : null;
      return ctx.page(
        'Audience',
        html`<h1>Audience</h1>
<p class="nr-hint">Counts only. Masthead does not track opens or clicks, and these figures name nobody.</p>
${statusList(counts)}
${chart({ title: 'Active subscribers at the end of each month', labels, axisLabels, kind: 'line', series: [{ name: 'Active', values: history.map((h) => h.activeAtEnd) }] }, 'active')}
${chart(
  {
    title: 'Joined and left, per month',
    labels,
    axisLabels,
    kind: 'bars',
    series: [
      { name: 'Confirmed', values: history.map((h) => h.confirmed) },
      { name: 'Unsubscribed', values: history.map((h) => h.unsubscribed) },
      { name: 'Bounced', values: history.map((h) => h.bounced) },
      { name: 'Complained', values: history.map((h) => h.complained) },
    ],
  },
  'flow',
)}
<h2>Editions</h2>
${
  recent.length > 0
    ? chart(
        {
          title: 'Recent editions: delivered, failed and unsubscribed',
          labels: recent.map((e) => (e.sentAt ?? e.startedAt ?? '').slice(0, 10)),
          kind: 'bars',
          series: [
            { name: 'Delivered', values: recent.map((e) => e.sent) },
            { name: 'Failed', values: recent.map((e) => e.failed) },
            { name: 'Unsubscribed', values: recent.map((e) => e.unsubscribed) },
          ],
        },
        'editions',
      )
    : ''
}
${editionTable(editions)}
${ctx.session && can(ctx.session.staff.role, 'settings.manage') ? await webhookPanel(ctx) : ''}`,
        { flash },
      );
    },
  },
  {
    method: 'POST',
    url: '/audience/bounce-webhook/rotate',
    access: 'staff',
    action: 'settings.manage',
    async handler({ request, reply, session }) {
      await newsletter.rotateBounceWebhookSecret(request.server.masthead.newsletter);
      await recordAudit(
        request.server.masthead.accounts,
        session?.staff ?? null,
        'newsletter.bounce_webhook_rotated',
        null,
      );
      return reply.redirect('/newsroom/audience?done=rotated', 303);
    },
  },
];
