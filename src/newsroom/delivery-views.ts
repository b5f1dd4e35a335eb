import type { DeliveryOverview } from '#newsletter';
import { html, type SafeHtml } from '#lib/html.ts';
import { csrfField } from './layout.ts';

const STATUS_WORDS: Record<DeliveryOverview['status'], string> = {
  draft: 'Not started',
  scheduled: 'Scheduled, not started',
  sending: 'Sending',
  paused: 'Paused',
  sent: 'Sent',
  cancelled: 'Cancelled',
};

const when = (iso: string | null) =>
  iso ? html`<time datetime="${iso}">${iso.replace('T', ' ').slice(0, 19)} UTC</time>` : html`—`;

/**
 * The delivery page: counts, a progress bar, Pause or Resume, and the latest errors. The
 * errors come from the SMTP server with addresses already blanked; they are escaped here
 * like any other text.
 */
export function deliveryView(
  o: DeliveryOverview,
  opts: { csrf: string; mailMode: 'smtp' | 'outbox'; live: boolean },
): SafeHtml {
  const done = o.sent + o.failed + o.skipped;
  const base = `/newsroom/newsletter/editions/${o.editionId}/delivery`;
  const percent = o.total === 0 ? 100 : Math.floor((done / o.total) * 100);
  return html`<h1>Delivery: ${o.subject}</h1>
<p><a href="/newsroom/newsletter/editions/${String(o.editionId)}">Back to the edition</a></p>
${opts.mailMode === 'outbox' ? html`<p class="nr-flash nr-dev-mail" role="note"><strong>Development mail:</strong> no SMTP server is configured, so this edition goes to the <a href="/newsroom/outbox">outbox</a>, not to readers.</p>` : ''}
<p><strong id="delivery-status">${STATUS_WORDS[o.status]}</strong>${opts.live ? html` <span class="nr-hint">(this page refreshes every few seconds)</span>` : ''}</p>
<p><label for="delivery-progress">${String(done)} of ${String(o.total)} handled (${String(percent)}%)</label><br>
<progress id="delivery-progress" max="${String(Math.max(o.total, 1))}" value="${String(o.total === 0 ? 1 : done)}">${String(percent)}%</progress></p>
<dl class="nr-facts">
  <dt>Sent</dt><dd id="delivery-sent">${String(o.sent)}</dd>
  <dt>Failed</dt><dd id="delivery-failed">${String(o.failed)}</dd>
  <dt>Skipped (left after sending started)</dt><dd id="delivery-skipped">${String(o.skipped)}</dd>
  <dt>Remaining</dt><dd id="delivery-remaining">${String(o.remaining)}</dd>
  <dt>Recipients</dt><dd>${String(o.total)}</dd>
  <dt>Started</dt><dd>${when(o.startedAt)}</dd>
  <dt>Finished</dt><dd>${when(o.sentAt)}</dd>
</dl>
${
  o.status === 'sending'
    ? html`<form method="post" action="${base}/pause" class="nr-actions">${csrfField(opts.csrf)}<button type="submit">Pause sending</button>
<span class="nr-hint">Messages already handed to the mail server still go; nothing new starts until you resume.</span></form>`
    : o.status === 'paused'
      ? html`<form method="post" action="${base}/resume" class="nr-actions">${csrfField(opts.csrf)}<button type="submit">Resume sending</button></form>`
      : ''
}
<h2>Latest errors</h2>
${
  o.errors.length === 0
    ? html`<p>None.</p>`
    : html`<table class="nr-table"><thead><tr><th scope="col">Outcome</th><th scope="col">Attempts</th><th scope="col">Server’s answer</th></tr></thead><tbody>
${o.errors.map((e) => html`<tr><td>${e.status === 'failed' ? 'Failed' : e.status === 'queued' ? 'Will retry' : e.status}</td><td>${String(e.attempts)}</td><td><code>${e.error}</code></td></tr>`)}
</tbody></table>
<p class="nr-hint">A refusal in the 500s means the address does not exist or will not take mail: the subscriber is marked bounced and not mailed again. Answers in the 400s and dropped connections are retried a few times.</p>`
}`;
}
