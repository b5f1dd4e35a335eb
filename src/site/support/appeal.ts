import { html, type SafeHtml } from '#lib/html.ts';
import * as support from '#support';
import type { SiteContext, SiteSlots } from '../context.ts';

/**
 * The one cookie support sets: `given`, `snooze.<YYYYMMDD until>` or
 * `seen.<count>.<YYYYMMDD window start>.<id of the article last counted>` (ADR 025).
 */
export const COOKIE = 'mh_support';
export const SNOOZE_DAYS = 30;
export const WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

/** Cookie states become one of three page variants: '' (asks shown), 'quiet' (banner only), 'none'. */
export type Variant = '' | 'quiet' | 'none';

const ymd = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '');
const fromYmd = (s: string) => new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T00:00:00Z`);

export function readCookie(header: string | undefined): string | null {
  if (!header) return null;
  const m = /(?:^|;\s*)mh_support=([A-Za-z0-9.]{1,40})(?:;|$)/.exec(header);
  return m?.[1] ?? null;
}

// The article id is optional so counters written before ADR 025 still read.
const SEEN = /^seen\.([0-9]{1,4})\.([0-9]{8})(?:\.([0-9]{1,12}))?$/;

/**
 * The counter after the appeal under `article` was shown, or null when that appeal was the
 * last one counted: coming back to the same article (the back button after a failed or
 * abandoned checkout, a reload) is the same appeal, not another one. A new window after 30 days.
 */
export function nextSeen(value: string | null, now: Date, article: number): string | null {
  const m = value ? SEEN.exec(value) : null;
  if (m?.[1] && m[2] && now.getTime() - fromYmd(m[2]).getTime() < WINDOW_DAYS * DAY_MS) {
    if (m[3] === String(article)) return null;
    return `seen.${Number(m[1]) + 1}.${m[2]}.${article}`;
  }
  return `seen.1.${ymd(now)}.${article}`;
}

export function snoozeValue(now: Date): string {
  return `snooze.${ymd(new Date(now.getTime() + SNOOZE_DAYS * DAY_MS))}`;
}

/** The variant a cookie asks for, given the editors' limit of appeals per 30 days (0 = none). */
export function variantFor(value: string | null, now: Date, perWindow: number): Variant {
  if (!value) return '';
  if (value === 'given') return 'none';
  const snooze = /^snooze\.([0-9]{8})$/.exec(value);
  if (snooze?.[1]) return fromYmd(snooze[1]).getTime() > now.getTime() ? 'quiet' : '';
  const seen = SEEN.exec(value);
  if (
    seen?.[1] &&
    seen[2] &&
    perWindow > 0 &&
    Number(seen[1]) >= perWindow &&
    now.getTime() - fromYmd(seen[2]).getTime() < WINDOW_DAYS * DAY_MS
  )
    return 'quiet';
  return '';
}

/** Holds the appeal settings for the synchronous slots; reloaded after every content change. */
export class AppealHolder {
  current: support.AppealSettings;
  private readonly load: () => Promise<support.AppealSettings>;
  constructor(initial: support.AppealSettings, load: () => Promise<support.AppealSettings>) {
    this.current = initial;
    this.load = load;
  }
  async refresh(): Promise<boolean> {
    const next = await this.load();
    const changed = JSON.stringify(next) !== JSON.stringify(this.current);
    this.current = next;
    return changed;
  }
}

function excluded(s: support.AppealSettings, path: string | undefined): boolean {
  return (
    path !== undefined && s.excludedPaths.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`))
  );
}

export const PAYMENT_METHODS = [
  { file: 'card', label: 'Cards' },
  { file: 'wallet', label: 'Phone wallets' },
  { file: 'bank', label: 'Bank debit' },
] as const;

function paymentMethods(): SafeHtml {
  return html`<ul class="pay-methods" aria-label="Accepted payment methods">${PAYMENT_METHODS.map(
    (m) => html`<li><img src="/support/icons/${m.file}.svg" width="36" height="24" alt=""> ${m.label}</li>`,
  )}</ul>`;
}

export interface PickerOptions {
  currency: support.Currency;
  frequency?: support.Frequency;
  amount?: string;
  other?: string;
  errors?: Record<string, string>;
  idPrefix: string;
  testMode: boolean;
}

/**
 * The frequency picker, amounts and Continue: a plain form that works without JavaScript.
 * Each frequency has its own amount group; the stylesheet shows only the checked one
 * (`:has`), and without CSS every amount still names its period. The button says the
 * period too. Nothing in it is per visitor, so it can sit in cached pages.
 */
export function picker(s: support.AppealSettings, o: PickerOptions): SafeHtml {
  const chosen = o.frequency ?? s.defaultFrequency;
  const id = (x: string) => `${o.idPrefix}-${x}`;
  const err = o.errors ?? {};
  return html`<form method="post" action="/support/checkout" class="give-form">
  <input type="hidden" name="currency" value="${o.currency}">
  <fieldset class="give-freq">
    <legend>How often</legend>
    ${support.FREQUENCIES.map(
      (f) =>
        html`<input type="radio" name="frequency" value="${f}" id="${id(f)}" class="freq-${f}"${f === chosen ? html` checked` : ''}><label for="${id(f)}">${support.FREQUENCY_LABELS[f]}</label>`,
    )}
    ${err.frequency ? html`<p class="field-error" role="alert">${err.frequency}</p>` : ''}
  </fieldset>
  ${support.FREQUENCIES.map(
    (f) => html`<fieldset class="give-amounts amounts-${f}">
    <legend>${f === 'once' ? 'Amount, once' : `Amount per ${f}`}</legend>
    ${support.suggestedFor(s, o.currency, f).map((a, i) => {
      const checked = o.amount ? o.frequency === f && o.amount === String(a) : i === 1;
      return html`<input type="radio" name="amount_${f}" value="${a}" id="${id(`${f}-${a}`)}"${checked ? html` checked` : ''}><label for="${id(`${f}-${a}`)}">${support.formatWithPeriod(a, o.currency, f)}</label>`;
    })}
    <input type="radio" name="amount_${f}" value="other" id="${id(`${f}-other`)}"${o.frequency === f && o.amount === 'other' ? html` checked` : ''}><label for="${id(`${f}-other`)}">Other amount</label>
  </fieldset>`,
  )}
  <p class="give-other">
    <label for="${id('other')}">Other amount (${support.currencySymbol(o.currency)})</label>
    <input id="${id('other')}" name="other_amount" inputmode="decimal" autocomplete="off" maxlength="12"${o.other ? html` value="${o.other}"` : ''}${err.amount ? html` aria-invalid="true" aria-describedby="${id('amount-error')}"` : ''}>
    <span class="give-min">Minimum ${support.formatWithPeriod(s.limits.once.min, o.currency, 'once')} once, ${support.formatWithPeriod(s.limits.month.min, o.currency, 'month')}, ${support.formatWithPeriod(s.limits.year.min, o.currency, 'year')}.</span>
  </p>
  ${err.amount ? html`<p id="${id('amount-error')}" class="field-error" role="alert">${err.amount}</p>` : ''}
  ${err.currency ? html`<p class="field-error" role="alert">${err.currency}</p>` : ''}
  <button type="submit" class="give-button">Continue<span class="per per-once">: give once</span><span class="per per-month">: give monthly</span><span class="per per-year">: give annually</span></button>
  ${paymentMethods()}
  ${o.testMode ? html`<p class="test-mode" role="note">TEST MODE — no money moves</p>` : ''}
</form>`;
}

/** The end-of-article appeal: copy, picker, "Remind me later". */
export function appeal(
  s: support.AppealSettings,
  currency: support.Currency,
  testMode: boolean,
  /** The article the appeal sits under, when editors cap how often it is shown. */
  countFor: number | null,
): SafeHtml {
  return html`<aside class="appeal" aria-labelledby="appeal-title">
  <p class="appeal-from">${s.from}</p>
  <h2 id="appeal-title">${s.title}</h2>
  <p>${s.body}</p>
  ${s.signOff ? html`<p class="appeal-signoff">${s.signOff}</p>` : ''}
  ${picker(s, { currency, idPrefix: 'appeal', testMode })}
  <p class="appeal-later">Not ready to support today? <a href="/support/remind">Remind me later</a></p>
  ${countFor !== null ? html`<img class="appeal-seen" src="/support/seen.svg?a=${countFor}" alt="" width="1" height="1" loading="lazy">` : ''}
</aside>`;
}

/** The banner and appeal slots, and the cookie → variant mapping the page cache keys on. */
export function supportSlots(
  holder: AppealHolder,
  provider: { testMode: boolean },
  publicationName: (ctx: SiteContext) => string,
): Pick<SiteSlots, 'banner' | 'afterArticle' | 'variant'> {
  return {
    variant: (cookie, now) => variantFor(readCookie(cookie), now, holder.current.appealsPer30Days),
    banner: (ctx) => {
      if (ctx.variant === 'none' || excluded(holder.current, ctx.path) || ctx.path?.startsWith('/support')) return null;
      return html`<p class="support-banner"><a href="/support">Support ${publicationName(ctx)}!</a>${provider.testMode ? html` <span class="test-mode">TEST MODE — no money moves</span>` : ''}</p>`;
    },
    afterArticle: (ctx, article) => {
      const s = holder.current;
      if (ctx.variant === 'none' || ctx.variant === 'quiet' || excluded(s, ctx.path)) return null;
      return appeal(s, s.currencies[0] ?? 'USD', provider.testMode, s.appealsPer30Days > 0 ? article.id : null);
    },
  };
}
