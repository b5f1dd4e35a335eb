import { html, type SafeHtml } from '#lib/html.ts';
import { theName } from '#lib/words.ts';
import type { Subscriber } from '#newsletter';
import type { SiteContext } from '../context.ts';
import { layout } from '../layout.ts';
import { signupForm } from './block.ts';

/** A context whose pages do not repeat the signup block under their own content. */
function withoutSignup(ctx: SiteContext): SiteContext {
  return { ...ctx, slots: { ...ctx.slots, newsletter: () => null } };
}

function page(ctx: SiteContext, title: string, path: string, main: SafeHtml, noindex = true): string {
  return layout(withoutSignup(ctx), {
    title,
    canonicalPath: path,
    main: html`<div class="wrap-narrow newsletter-page">${main}</div>`,
    noindex,
  });
}

export function newsletterPage(ctx: SiteContext, form: { email?: string; error?: string } = {}): string {
  const main = html`${signupForm(ctx, { ...form, headingLevel: 1 })}
<div class="wrap-narrow newsletter-more"><p>Read past editions in the <a href="/newsletter/archive">newsletter archive</a>, or follow them with the <a href="/newsletter/feed.xml">RSS feed of editions</a>.</p></div>`;
  return layout(withoutSignup(ctx), {
    title: 'Newsletter',
    description:
      ctx.settings.newsletterDescription ||
      `Sign up for ${theName(ctx.settings.name)} newsletter by email; read past editions in the archive.`,
    canonicalPath: '/newsletter',
    main,
    noindex: Boolean(form.error),
    head: html`<link rel="alternate" type="application/rss+xml" title="${ctx.settings.name} newsletter (RSS)" href="/newsletter/feed.xml">`,
  });
}

export function checkEmailPage(ctx: SiteContext): string {
  return page(
    ctx,
    'Check your email',
    '/newsletter/check-your-email',
    html`<h1>Check your email</h1>
<p>If the address can receive our newsletter, a message with a confirmation link is on its way. Open it within 48 hours to start your subscription.</p>
<p>Nothing arrived? Look in your spam folder, or <a href="/newsletter">try again</a> in a few minutes.</p>`,
  );
}

export function confirmPage(ctx: SiteContext, token: string): string {
  return page(
    ctx,
    'Confirm your subscription',
    '/newsletter/confirm',
    html`<h1>Confirm your subscription</h1>
<p>One more step: press the button to start receiving the weekly newsletter.</p>
<form method="post" action="/newsletter/confirm/${token}"><button type="submit">Confirm my subscription</button></form>`,
  );
}

export function confirmedPage(ctx: SiteContext): string {
  return page(
    ctx,
    'You are subscribed',
    '/newsletter/confirmed',
    html`<h1>You are subscribed</h1>
<p>Thank you. The newsletter arrives every Friday. Every issue has a link to change your subscription or leave in one click.</p>
<p><a href="/">Go to the front page</a></p>`,
  );
}

export function linkProblemPage(ctx: SiteContext, message: string): string {
  return page(
    ctx,
    'This link does not work',
    '/newsletter',
    html`<h1>This link does not work</h1>
<p>${message}</p>
<p><a href="/newsletter">Sign up again</a></p>`,
  );
}

const STATUS_TEXT: Record<Subscriber['status'], string> = {
  pending: 'not confirmed yet',
  active: 'subscribed',
  unsubscribed: 'unsubscribed',
  bounced: 'paused: mail to this address bounced',
  complained: 'paused: a message was marked as spam',
};

export function managePage(ctx: SiteContext, s: Subscriber, token: string): string {
  const base = `/newsletter/manage/${token}`;
  return page(
    ctx,
    'Your newsletter subscription',
    '/newsletter/manage',
    html`<h1>Your newsletter subscription</h1>
<p><strong>${s.email}</strong> is ${STATUS_TEXT[s.status]}.</p>
${
  s.status === 'active' || s.status === 'pending'
    ? html`<form method="post" action="${base}/unsubscribe"><button type="submit">Unsubscribe</button></form>`
    : s.status === 'unsubscribed'
      ? html`<form method="post" action="${base}/resubscribe"><button type="submit">Subscribe again</button></form>`
      : ''
}
<h2>Your data</h2>
<p><a href="${base}/data.json" download>Download my data</a> (JSON: your address, status and when and how you agreed).</p>
<form method="post" action="${base}/erase"><p>Erase me: delete your address and everything about it. This cannot be undone.</p><button type="submit">Erase my data</button></form>`,
  );
}

export function unsubscribeConfirmPage(ctx: SiteContext, token: string): string {
  return page(
    ctx,
    'Unsubscribe',
    '/newsletter/unsubscribe',
    html`<h1>Unsubscribe</h1>
<p>Press the button to stop receiving the newsletter.</p>
<form method="post" action="/newsletter/manage/${token}/unsubscribe"><button type="submit">Unsubscribe</button></form>
<p><a href="/newsletter/manage/${token}">Manage your subscription</a></p>`,
  );
}

export function erasedPage(ctx: SiteContext): string {
  return page(
    ctx,
    'Erased',
    '/newsletter/erased',
    html`<h1>Your data is erased</h1>
<p>We deleted your address and everything we held about your subscription.</p>`,
  );
}
