import { html, type SafeHtml } from '#lib/html.ts';
import * as support from '#support';
import type { SiteContext } from '../context.ts';
import { layout } from '../layout.ts';
import { picker } from './appeal.ts';

/** Support pages never repeat the banner or the appeal inside themselves. */
function quiet(ctx: SiteContext): SiteContext {
  return { ...ctx, slots: { ...ctx.slots, banner: () => null, afterArticle: () => null, newsletter: () => null } };
}

const testBanner = (testMode: boolean) =>
  testMode
    ? html`<p class="test-mode test-mode-block" role="note">TEST MODE — no money moves. Payments here are simulated; use any address you can read.</p>`
    : '';

function page(
  ctx: SiteContext,
  title: string,
  path: string,
  main: SafeHtml,
  opts: { testMode: boolean; noindex?: boolean; head?: SafeHtml; description?: string },
): string {
  return layout(quiet(ctx), {
    title,
    ...(opts.description ? { description: opts.description } : {}),
    canonicalPath: path,
    main: html`<div class="wrap-narrow support-page">${testBanner(opts.testMode)}${main}</div>`,
    noindex: opts.noindex ?? true,
    ...(opts.head ? { head: opts.head } : {}),
  });
}

export interface SupportPageForm {
  currency: support.Currency;
  frequency?: support.Frequency;
  amount?: string;
  other?: string;
  errors?: Record<string, string>;
  message?: string;
}

/** The support page: the case for support, the picker in the chosen currency, and links to manage. */
export function supportPage(
  ctx: SiteContext,
  s: support.AppealSettings,
  form: SupportPageForm,
  testMode: boolean,
): string {
  const currencies =
    s.currencies.length > 1
      ? html`<p class="give-currencies">Currency: ${s.currencies.map((c) => (c === form.currency ? html`<strong aria-current="true">${c}</strong> ` : html`<a href="/support?currency=${c}">${c}</a> `))}</p>`
      : '';
  const errorSummary =
    form.errors && Object.keys(form.errors).length
      ? html`<div class="error-summary" role="alert"><p>Please check the form: ${Object.values(form.errors).join(' ')}</p></div>`
      : '';
  return page(
    ctx,
    `Support ${ctx.settings.name}`,
    '/support',
    html`<h1>Support ${ctx.settings.name}</h1>
${form.message ? html`<p class="notice" role="status">${form.message}</p>` : ''}
<p class="appeal-from">${s.from}</p>
<p>${s.caseForSupport}</p>
${errorSummary}
${currencies}
${picker(s, { currency: form.currency, idPrefix: 'support', testMode, ...(form.frequency ? { frequency: form.frequency } : {}), ...(form.amount ? { amount: form.amount } : {}), ...(form.other ? { other: form.other } : {}), ...(form.errors ? { errors: form.errors } : {}) })}
<p class="appeal-later">Not ready to support today? <a href="/support/remind">Remind me later</a></p>
<h2>Already a supporter?</h2>
<p><a href="/support/manage">Manage my support</a>: change the amount, switch between monthly and annual, update your card, cancel, or get a statement.</p>`,
    // The public site's one script: optional, from our origin, names the amount on the button.
    {
      testMode,
      noindex: Boolean(form.errors),
      head: html`<script src="/support/give.js" defer></script>`,
      description: `Support ${ctx.settings.name}'s independent journalism: give once, monthly or annually, and change or cancel at any time.`,
    },
  );
}

export function thanksPage(
  ctx: SiteContext,
  attempt: { frequency: support.Frequency; amount: number; currency: string; status: string } | null,
  testMode: boolean,
): string {
  const what = attempt ? support.formatWithPeriod(attempt.amount, attempt.currency, attempt.frequency) : null;
  return page(
    ctx,
    'Thank you',
    '/support/thanks',
    html`<h1>Thank you!</h1>
${what ? html`<p>Your support of <strong>${what}</strong> keeps ${ctx.settings.name} independent.</p>` : html`<p>Your support keeps ${ctx.settings.name} independent.</p>`}
<p>A receipt is on its way by email${attempt?.status === 'completed' ? '' : ' as soon as the payment is confirmed'}. It tells you how to change or cancel your support at any time.</p>
<p>We will not ask you for support on this device any more.</p>
<p><a href="/">Back to the front page</a></p>`,
    { testMode },
  );
}

export function throttledPage(ctx: SiteContext, message: string, testMode: boolean): string {
  return page(
    ctx,
    'Please wait a little',
    '/support',
    html`<h1>Please wait a little</h1>
<p>${message}</p>
<p>This limit protects readers' cards from fraudsters who test stolen numbers on donation forms. Nothing was charged.</p>
<p><a href="/">Back to the front page</a></p>`,
    { testMode },
  );
}

export function providerErrorPage(ctx: SiteContext, testMode: boolean): string {
  return page(
    ctx,
    'Payment page unavailable',
    '/support',
    html`<h1>The payment page could not be reached</h1>
<p>Nothing was charged. Please <a href="/support">try again</a> in a minute.</p>`,
    { testMode },
  );
}

export function remindPage(
  ctx: SiteContext,
  months: string[],
  form: { email?: string; month?: string; errors?: Record<string, string> },
  testMode: boolean,
): string {
  const label = (m: string) =>
    new Date(`${m}-01T00:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const err = form.errors ?? {};
  return page(
    ctx,
    'Remind me later',
    '/support/remind',
    html`<h1>Remind me later</h1>
<form method="post" action="/support/remind/snooze">
  <p>We will not ask you on this device for ${30} days. This is kept in a small cookie in your browser; we store nothing.</p>
  <button type="submit">Not now: hide the appeal for 30 days</button>
</form>
<h2>Or get one reminder by email</h2>
<form method="post" action="/support/remind" class="remind-form">
  <p>Leave your address and pick a month: we send one email in that month, then delete the address.</p>
  <p><label for="remind-email">Email address</label>
  <input id="remind-email" name="email" type="email" required maxlength="254" autocomplete="email"${form.email ? html` value="${form.email}"` : ''}${err.email ? html` aria-invalid="true"` : ''}></p>
  ${err.email ? html`<p class="field-error" role="alert">${err.email}</p>` : ''}
  <p><label for="remind-month">Month</label>
  <select id="remind-month" name="month">${months.map((m) => html`<option value="${m}"${form.month === m ? html` selected` : ''}>${label(m)}</option>`)}</select></p>
  ${err.month ? html`<p class="field-error" role="alert">${err.month}</p>` : ''}
  <button type="submit">Remind me</button>
</form>`,
    { testMode, noindex: true },
  );
}

export function remindDonePage(ctx: SiteContext, emailed: boolean, testMode: boolean): string {
  return page(
    ctx,
    'We will remind you',
    '/support/remind',
    html`<h1>${emailed ? 'We will remind you' : 'Appeal hidden'}</h1>
<p>${emailed ? 'One email will arrive in the month you chose; then your address is deleted. Appeals are also hidden on this device for 30 days.' : 'You will not see appeals on this device for 30 days.'}</p>
<p><a href="/">Back to the front page</a></p>`,
    { testMode },
  );
}

export function manageRequestPage(
  ctx: SiteContext,
  form: { email?: string; error?: string; sent?: boolean },
  testMode: boolean,
): string {
  return page(
    ctx,
    'Manage my support',
    '/support/manage',
    form.sent
      ? html`<h1>Check your email</h1>
<p>If this address belongs to a supporter, a sign-in link is on its way. It works once, for 30 minutes.</p>
<p>Nothing arrived? Use the address your receipts went to, or look in your spam folder.</p>`
      : html`<h1>Manage my support</h1>
<p>No password needed: enter the address your receipts go to, and we will email you a link that works once, for 30 minutes.</p>
<form method="post" action="/support/manage" class="manage-form">
  <p><label for="manage-email">Email address</label>
  <input id="manage-email" name="email" type="email" required maxlength="254" autocomplete="email"${form.email ? html` value="${form.email}"` : ''}${form.error ? html` aria-invalid="true" aria-describedby="manage-error"` : ''}></p>
  ${form.error ? html`<p id="manage-error" class="field-error" role="alert">${form.error}</p>` : ''}
  <button type="submit">Email me a link</button>
</form>`,
    { testMode },
  );
}

export function manageLinkPage(ctx: SiteContext, token: string, testMode: boolean): string {
  return page(
    ctx,
    'Manage my support',
    '/support/manage',
    html`<h1>Manage my support</h1>
<p>Press the button to open your support page. The link then stops working.</p>
<form method="post" action="/support/manage/${token}"><button type="submit">Open my support page</button></form>`,
    { testMode },
  );
}

export function linkProblemPage(ctx: SiteContext, message: string, testMode: boolean): string {
  return page(
    ctx,
    'Link not valid',
    '/support/manage',
    html`<h1>This link does not work</h1>
<p>${message}</p>
<p><a href="/support/manage">Ask for a new link</a></p>`,
    { testMode },
  );
}

const STATUS_WORDS: Record<string, string> = {
  active: 'Active',
  past_due: 'Payment failed; we will retry',
  canceled: 'Cancelled',
  incomplete: 'Waiting for payment',
  unpaid: 'Unpaid',
  paused: 'Paused',
};
const day = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function managePage(
  ctx: SiteContext,
  view: support.ManageView,
  opts: { message?: string; error?: string; testMode: boolean; year: number },
): string {
  const plans = view.plans.map(
    (p) => html`<section class="plan" aria-labelledby="plan-${p.id}">
  <h2 id="plan-${p.id}">${support.formatWithPeriod(p.amount, p.currency, p.frequency)}</h2>
  <p>Status: <strong class="plan-status">${STATUS_WORDS[p.status] ?? p.status}</strong>${p.nextRenewalAt && p.status !== 'canceled' ? html`. Next payment on ${day(p.nextRenewalAt)}` : ''}${p.canceledAt ? html`. Cancelled on ${day(p.canceledAt)}` : ''}.</p>
  ${
    p.status === 'canceled'
      ? html`<p><a href="/support">Start supporting again</a></p>`
      : html`<form method="post" action="/support/manage/plan/${p.id}/change" class="plan-change">
    <p><label for="amount-${p.id}">New amount (${p.currency})</label> <input id="amount-${p.id}" name="amount" inputmode="decimal" maxlength="12" value="${(p.amount / 100).toFixed(p.amount % 100 ? 2 : 0)}"></p>
    <p><label><input type="radio" name="frequency" value="month"${p.frequency === 'month' ? html` checked` : ''}> Monthly</label>
    <label><input type="radio" name="frequency" value="year"${p.frequency === 'year' ? html` checked` : ''}> Annual</label></p>
    <button type="submit">Change my support</button>
  </form>
  <form method="post" action="/support/manage/plan/${p.id}/payment-method"><button type="submit">Update payment method</button></form>
  <form method="post" action="/support/manage/plan/${p.id}/cancel"><button type="submit" class="danger">Cancel my ${p.frequency === 'month' ? 'monthly' : 'annual'} support</button></form>`
  }
</section>`,
  );
  const history = view.payments.length
    ? html`<table class="payments"><thead><tr><th scope="col">Date</th><th scope="col">What</th><th scope="col">Amount</th></tr></thead><tbody>${view.payments.map(
        (p) =>
          html`<tr><td>${day(p.occurredAt)}</td><td>${p.kind === 'payment' ? (p.frequency === 'once' ? 'One-time gift' : `${p.frequency === 'month' ? 'Monthly' : 'Annual'} payment`) : p.kind}</td><td>${support.formatMoney(p.amount, p.currency)} ${p.currency}</td></tr>`,
      )}</tbody></table>`
    : html`<p>No payments recorded yet. They appear here once the payment provider confirms them.</p>`;
  return page(
    ctx,
    'Your support',
    '/support/manage',
    html`<h1>Your support</h1>
<p>Signed in as ${view.email} for 30 minutes.</p>
${opts.message ? html`<p class="notice" role="status">${opts.message}</p>` : ''}
${opts.error ? html`<p class="field-error" role="alert">${opts.error}</p>` : ''}
${view.plans.length ? plans : html`<p>You have no recurring support.</p>`}
<h2>Payments</h2>
${history}
<form method="post" action="/support/manage/statement" class="statement-form">
  <p><label for="statement-year">Annual statement for</label> <select id="statement-year" name="year">${[opts.year, opts.year - 1, opts.year - 2].map((y) => html`<option value="${y}">${y}</option>`)}</select>
  <button type="submit">Email me the statement</button></p>
</form>
<h2>Privacy</h2>
<form method="post" action="/support/manage/erase"><p>We keep your address only for receipts and these links. Once nothing recurs, you can have it deleted; amounts and dates stay in our accounts without your name or address.</p><button type="submit" class="danger">Forget my address</button></form>
<form method="post" action="/support/manage/sign-out"><button type="submit">Sign out</button></form>`,
    { testMode: opts.testMode },
  );
}

export function erasedPage(ctx: SiteContext, testMode: boolean): string {
  return page(
    ctx,
    'Address deleted',
    '/support/manage',
    html`<h1>Your address is deleted</h1><p>We no longer hold your email address, and we have asked our payment provider to delete your customer record (your address and any saved card) too. Thank you for your support.</p>`,
    { testMode },
  );
}

/** The test provider's hosted-like checkout page (our own server, clearly labelled). */
export function testCheckoutPage(
  ctx: SiteContext,
  session: {
    id: string;
    amount: number;
    currency: string;
    interval: 'month' | 'year' | null;
    description: string;
    cancelUrl: string;
    paid: boolean;
  },
  error?: string,
): string {
  const what = support.formatWithPeriod(session.amount, session.currency.toUpperCase(), session.interval ?? 'once');
  return page(
    ctx,
    'Test checkout',
    '/support/test-checkout',
    html`<h1>Test checkout</h1>
<p>This page stands in for the payment provider's checkout while no provider keys are configured. No card is asked for and no money moves; the payment is simulated and confirmed by a signed webhook, just like a real one.</p>
<p class="test-amount">${session.description}: <strong>${what}</strong></p>
${
  session.paid
    ? html`<p>This checkout is already paid.</p>`
    : html`<form method="post" action="/support/test-checkout/${session.id}">
  <p><label for="test-email">Email for the receipt</label>
  <input id="test-email" name="email" type="email" required maxlength="254" autocomplete="email"${error ? html` aria-invalid="true"` : ''}></p>
  ${error ? html`<p class="field-error" role="alert">${error}</p>` : ''}
  <button type="submit">Pay ${what} (test)</button>
</form>`
}
<p><a href="${session.cancelUrl}">Cancel and go back</a></p>`,
    { testMode: true },
  );
}

export function testPaymentMethodPage(ctx: SiteContext, returnUrl: string): string {
  return page(
    ctx,
    'Payment method (test)',
    '/support/test-payment-method',
    html`<h1>Payment method</h1>
<p>In test mode there is no card on file, so there is nothing to update. With Stripe configured, this button opens Stripe's secure billing page.</p>
<p><a href="${returnUrl}">Back to your support</a></p>`,
    { testMode: true },
  );
}
