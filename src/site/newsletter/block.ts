import { html, type SafeHtml } from '#lib/html.ts';
import type { SiteContext } from '../context.ts';

export const NEWSLETTER_TITLE = 'Sign up for our free weekly newsletter';
export const NEWSLETTER_DESCRIPTION = 'A hand-picked selection of news, features, analysis and more, in your mailbox every Friday.';
/** The honeypot's field name: a word autofill and bots like, that people never see. */
export const HONEYPOT_FIELD = 'website';

/**
 * The signup form. It goes into cached pages, so it holds nothing per visitor: no CSRF
 * token, no prefilled address (see src/newsletter/CONTEXT.md for how signups are protected).
 */
export function signupForm(opts: { email?: string; error?: string; headingLevel?: 1 | 2 } = {}): SafeHtml {
  const h = opts.headingLevel === 1 ? html`<h1 id="newsletter-title">${NEWSLETTER_TITLE}</h1>` : html`<h2 id="newsletter-title">${NEWSLETTER_TITLE}</h2>`;
  return html`<section class="newsletter-signup" aria-labelledby="newsletter-title">
  <div class="wrap-narrow">
    ${h}
    <p>${NEWSLETTER_DESCRIPTION} <a href="/newsletter/archive">Preview</a></p>
    <form method="post" action="/newsletter/subscribe" class="newsletter-form">
      <label for="newsletter-email">Email address</label>
      <div class="newsletter-row">
        <input id="newsletter-email" name="email" type="email" required maxlength="254" autocomplete="email" inputmode="email"${opts.email ? html` value="${opts.email}"` : ''}${opts.error ? html` aria-invalid="true" aria-describedby="newsletter-error"` : ''}>
        <button type="submit">Sign up</button>
      </div>
      ${opts.error ? html`<p id="newsletter-error" class="field-error" role="alert">${opts.error}</p>` : ''}
      <div class="nl-hp" aria-hidden="true"><label for="newsletter-website">Leave this empty</label><input id="newsletter-website" name="${HONEYPOT_FIELD}" type="text" tabindex="-1" autocomplete="off" value=""></div>
      <p class="newsletter-consent">Subscribers agree to the <a href="/privacy">Privacy Policy</a>.</p>
    </form>
  </div>
</section>`;
}

/** The site's `newsletter` slot: the same markup for every visitor, so pages stay cacheable. */
export function newsletterSlot(_ctx: SiteContext): SafeHtml {
  return BLOCK;
}

const BLOCK = signupForm();
