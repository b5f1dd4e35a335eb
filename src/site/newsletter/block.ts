import { html, type SafeHtml } from '#lib/html.ts';
import type { SiteContext } from '../context.ts';
import type { LatestEdition, LatestEditionRef } from './latest.ts';

/** The honeypot's field name: a word autofill and bots like, that people never see. */
export const HONEYPOT_FIELD = 'website';

type Slot = (ctx: SiteContext) => SafeHtml | null;
const latestBySlot = new WeakMap<Slot, LatestEdition>();

/** The latest edition known to the app whose pages this context draws, for the Preview link. */
function latestOf(ctx: SiteContext): LatestEditionRef | null {
  return latestBySlot.get(ctx.slots.newsletter)?.current() ?? null;
}

/**
 * The signup form. It goes into cached pages, so it holds nothing per visitor: no CSRF
 * token, no prefilled address (see src/newsletter/CONTEXT.md for how signups are protected).
 * Title and description come from the settings; Preview links the latest edition, if any.
 */
export function signupForm(
  ctx: SiteContext,
  opts: { email?: string; error?: string; headingLevel?: 1 | 2 } = {},
): SafeHtml {
  const title = ctx.settings.newsletterTitle;
  const h =
    opts.headingLevel === 1
      ? html`<h1 id="newsletter-title">${title}</h1>`
      : html`<h2 id="newsletter-title">${title}</h2>`;
  const latest = latestOf(ctx);
  const description = ctx.settings.newsletterDescription;
  return html`<section class="newsletter-signup" aria-labelledby="newsletter-title">
  <div class="wrap-narrow">
    ${h}
    ${description || latest ? html`<p>${description}${latest ? html` <a href="/newsletter/editions/${latest.slug}">Preview</a>` : ''}</p>` : ''}
    <form method="post" action="/newsletter/subscribe" class="newsletter-form">
      <label for="newsletter-email">Email address</label>
      <div class="newsletter-row">
        <input id="newsletter-email" name="email" type="email" required maxlength="254" autocomplete="email" inputmode="email"${opts.email ? html` value="${opts.email}"` : ''}${opts.error ? html` aria-invalid="true" aria-describedby="newsletter-error"` : ''}>
        <button type="submit">Sign up</button>
      </div>
      ${opts.error ? html`<p id="newsletter-error" class="field-error" role="alert">${opts.error}</p>` : ''}
      <div class="nl-hp" aria-hidden="true"><label for="newsletter-website">Leave this empty</label><input id="newsletter-website" name="${HONEYPOT_FIELD}" type="text" tabindex="-1" autocomplete="off" value=""></div>
      ${ctx.hasPrivacyPolicy ? html`<p class="newsletter-consent">Subscribers agree to the <a href="/privacy">Privacy Policy</a>.</p>` : ''}
    </form>
  </div>
</section>`;
}

/**
 * The site's `newsletter` slot: the same markup for every visitor, so pages stay cacheable.
 * Drawn once per site context (a context lives for one content version).
 */
export function createNewsletterSlot(latest: LatestEdition): Slot {
  const drawn = new WeakMap<SiteContext, SafeHtml>();
  const slot: Slot = (ctx) => {
    let block = drawn.get(ctx);
    if (!block) {
      block = signupForm(ctx);
      drawn.set(ctx, block);
    }
    return block;
  };
  latestBySlot.set(slot, latest);
  return slot;
}
