import * as mail from '#mail';
import { html, type SafeHtml } from '#lib/html.ts';
import type { RouteSpec } from './framework.ts';
import { parsePage, requireIdParam, str } from '#http';

const PER_PAGE = 50;

const when = (iso: string) => html`<time datetime="${iso}">${iso.replace('T', ' ').slice(0, 19)} UTC</time>`;

function modeBanner(mode: mail.MailMode): SafeHtml {
  return mode === 'outbox'
    ? html`<p class="nr-flash nr-dev-mail" role="note"><strong>Development mail: messages are stored here, not sent.</strong> No SMTP server is configured (SMTP_URL), so no email leaves this installation.</p>`
    : html`<p class="nr-hint">An SMTP server is configured: new messages are sent, not stored. Messages below were stored before it was.</p>`;
}

/**
 * The local outbox. It holds readers' addresses (subscribers, supporters), so it needs the
 * same permission as the supporter list. Stored HTML is someone else's markup: it is shown
 * only inside a sandboxed srcdoc iframe (no scripts, opaque origin), never in our page.
 */
export const outboxRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/outbox',
    access: 'staff',
    action: 'supporters.view',
    async handler({ request, page }) {
      const m = request.server.masthead.mail;
      const pageNo = parsePage((request.query as Record<string, unknown> | undefined)?.page);
      const to = str(request.query, 'to').trim().slice(0, 254);
      const list = await mail.listOutbox(m, { page: pageNo, perPage: PER_PAGE, ...(to ? { to } : {}) });
      const link = (n: number) => `/newsroom/outbox?page=${n}${to ? `&to=${encodeURIComponent(to)}` : ''}`;
      return page(
        'Mail outbox',
        html`<h1>Mail outbox</h1>
${modeBanner(m.mailer.mode)}
<form method="get" action="/newsroom/outbox" class="nr-filters" role="search">
  <label for="to">Recipient</label>
  <input id="to" name="to" type="email" maxlength="254" value="${to}">
  <button type="submit">Filter</button>${to ? html` <a href="/newsroom/outbox">Show all</a>` : ''}
</form>
${
  list.items.length === 0
    ? html`<p>No messages${to ? ' to this address' : ''}.</p>`
    : html`<table class="nr-table"><thead><tr><th scope="col">Stored</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Category</th></tr></thead><tbody>
${list.items.map((x) => html`<tr><td>${when(x.createdAt)}</td><td>${x.to}</td><td><a href="/newsroom/outbox/${x.id}">${x.subject || '(no subject)'}</a></td><td>${x.category}</td></tr>`)}
</tbody></table>`
}
<p>${list.total} message${list.total === 1 ? '' : 's'} · page ${list.page} of ${list.pageCount}${list.page > 1 ? html` · <a href="${link(list.page - 1)}">Newer</a>` : ''}${list.page < list.pageCount ? html` · <a href="${link(list.page + 1)}">Older</a>` : ''}</p>`,
      );
    },
  },
  {
    method: 'GET',
    url: '/outbox/:id',
    access: 'staff',
    action: 'supporters.view',
    async handler({ request, page }) {
      const m = request.server.masthead.mail;
      const msg = await mail.getOutboxMessage(m, requireIdParam(request));
      const headers = Object.entries(msg.headers);
      return page(
        msg.subject || 'Message',
        html`<h1>${msg.subject || '(no subject)'}</h1>
${modeBanner(m.mailer.mode)}
<p><a href="/newsroom/outbox">Back to the outbox</a></p>
<dl class="nr-facts">
  <dt>To</dt><dd>${msg.to}</dd>
  <dt>Subject</dt><dd>${msg.subject}</dd>
  <dt>Category</dt><dd>${msg.category}</dd>
  <dt>Message-ID</dt><dd><code>${msg.messageId}</code></dd>
  <dt>Stored</dt><dd>${when(msg.createdAt)}</dd>
  ${headers.map(([k, v]) => html`<dt>${k}</dt><dd><code>${v}</code></dd>`)}
</dl>
<h2>Text</h2>
<pre class="nr-mail-text">${msg.text}</pre>
<h2>HTML</h2>
${
  msg.html === null
    ? html`<p>This message has no HTML part.</p>`
    : html`<p class="nr-hint">Shown without scripts, forms or remote images; styles in the message may not apply.</p>
<iframe class="nr-mail-html" sandbox srcdoc="${msg.html}" title="HTML part of the message" referrerpolicy="no-referrer" width="100%" height="600"></iframe>`
}`,
      );
    },
  },
];
