import { recordAudit } from '#accounts';
import { html, type SafeHtml } from '#lib/html.ts';
import { ValidationError } from '#lib/errors.ts';
import { getSettings } from '#settings';
import * as support from '#support';
import type { RouteContext, RouteSpec } from './framework.ts';
import { list, str } from '#http';

const major = (minor: number) => (minor % 100 ? (minor / 100).toFixed(2) : String(minor / 100));

/** The appeal settings as form text (amounts in major units). */
export interface AppealForm {
  title: string;
  from: string;
  body: string;
  signOff: string;
  caseForSupport: string;
  currencies: string[];
  defaultFrequency: string;
  suggested: Record<string, string>; // `${currency}.${frequency}` → "5, 10, 20"
  limits: Record<string, string>; // `${frequency}.min|max` → "2"
  excludedPaths: string;
  appealsPer30Days: string;
}

function formFromSettings(s: support.AppealSettings): AppealForm {
  const suggested: Record<string, string> = {};
  for (const c of support.CURRENCIES)
    for (const f of support.FREQUENCIES) suggested[`${c}.${f}`] = support.suggestedFor(s, c, f).map(major).join(', ');
  const limits: Record<string, string> = {};
  for (const f of support.FREQUENCIES) {
    limits[`${f}.min`] = major(s.limits[f].min);
    limits[`${f}.max`] = major(s.limits[f].max);
  }
  return {
    title: s.title,
    from: s.from,
    body: s.body,
    signOff: s.signOff,
    caseForSupport: s.caseForSupport,
    currencies: [...s.currencies],
    defaultFrequency: s.defaultFrequency,
    suggested,
    limits,
    excludedPaths: s.excludedPaths.join('\n'),
    appealsPer30Days: String(s.appealsPer30Days),
  };
}

function formFromBody(b: unknown): AppealForm {
  const suggested: Record<string, string> = {};
  for (const c of support.CURRENCIES)
    for (const f of support.FREQUENCIES) suggested[`${c}.${f}`] = str(b, `suggested.${c}.${f}`);
  const limits: Record<string, string> = {};
  for (const f of support.FREQUENCIES) for (const e of ['min', 'max']) limits[`${f}.${e}`] = str(b, `limits.${f}.${e}`);
  return {
    title: str(b, 'title'),
    from: str(b, 'from'),
    body: str(b, 'body'),
    signOff: str(b, 'signOff'),
    caseForSupport: str(b, 'caseForSupport'),
    currencies: list(b, 'currencies'),
    defaultFrequency: str(b, 'defaultFrequency'),
    suggested,
    limits,
    excludedPaths: str(b, 'excludedPaths'),
    appealsPer30Days: str(b, 'appealsPer30Days'),
  };
}

/** Form text to settings: amounts parsed strictly (same rules as readers' amounts); problems per field. */
function settingsFromForm(v: AppealForm): unknown {
  const errors: Record<string, string> = {};
  const amount = (raw: string, key: string): number => {
    try {
      return support.parseAmount(raw, key);
    } catch (err) {
      errors[key] = err instanceof ValidationError ? err.message : 'Enter an amount.';
      return 0;
    }
  };
  const suggested: Record<string, Record<string, number[]>> = {};
  for (const c of support.CURRENCIES) {
    suggested[c] = {};
    for (const f of support.FREQUENCIES) {
      const key = `suggested.${c}.${f}`;
      const parts = (v.suggested[`${c}.${f}`] ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      if (parts.length !== 3) errors[key] = 'Give exactly three amounts, separated by commas.';
      suggested[c][f] = parts.map((p) => amount(p, key));
    }
  }
  const limits: Record<string, { min: number; max: number }> = {};
  for (const f of support.FREQUENCIES)
    limits[f] = {
      min: amount(v.limits[`${f}.min`] ?? '', `limits.${f}.min`),
      max: amount(v.limits[`${f}.max`] ?? '', `limits.${f}.max`),
    };
  const per = /^[0-9]{1,4}$/.test(v.appealsPer30Days.trim()) ? Number(v.appealsPer30Days.trim()) : -1;
  if (Object.keys(errors).length > 0)
    throw new ValidationError('SUPPORT_SETTINGS_INVALID', 'Some settings need fixing.', errors);
  return {
    title: v.title,
    from: v.from,
    body: v.body,
    signOff: v.signOff,
    caseForSupport: v.caseForSupport,
    currencies: v.currencies,
    defaultFrequency: v.defaultFrequency,
    suggested,
    limits,
    excludedPaths: v.excludedPaths
      .split(/\r?\n/)
      .map((p) => p.trim())
      .filter(Boolean),
    appealsPer30Days: per,
  };
}

function field(
  label: string,
  name: string,
  value: string,
  errors: Record<string, string>,
  opts: { textarea?: boolean; hint?: string } = {},
): SafeHtml {
  const err = errors[name];
  return html`<p><label for="f-${name}">${label}</label>${opts.hint ? html` <small>${opts.hint}</small>` : ''}<br>
${opts.textarea ? html`<textarea id="f-${name}" name="${name}" rows="4" cols="60">${value}</textarea>` : html`<input id="f-${name}" name="${name}" value="${value}" size="40">`}
${err ? html`<br><strong class="field-error" role="alert">${err}</strong>` : ''}</p>`;
}

function view(ctx: RouteContext, v: AppealForm, errors: Record<string, string>): SafeHtml {
  const provider = ctx.request.server.masthead.support.provider;
  const base = ctx.request.server.masthead.config.baseUrl ?? '';
  return html`<h1>Reader support</h1>
<p>${
    provider.testMode
      ? html`<strong>TEST MODE — no money moves.</strong> Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to take real payments (see the README).`
      : html`Connected to Stripe. Webhook endpoint: <code>${base}/support/webhook</code>.`
  }</p>
${errors.form ? html`<p class="field-error" role="alert">${errors.form}</p>` : ''}
<form method="post" action="/newsroom/support/settings">
<input type="hidden" name="_csrf" value="${ctx.csrf()}">
<h2>The appeal</h2>
${field('Title', 'title', v.title, errors)}
${field('From line', 'from', v.from, errors, { hint: '“A message from …”' })}
${field('Body', 'body', v.body, errors, { textarea: true })}
${field('Sign-off', 'signOff', v.signOff, errors)}
${field('Case for support (support page)', 'caseForSupport', v.caseForSupport, errors, { textarea: true })}
<h2>Currencies and amounts</h2>
<fieldset><legend>Currencies readers may choose (the first is the main one)</legend>
${support.CURRENCIES.map((c) => html`<label><input type="checkbox" name="currencies" value="${c}"${v.currencies.includes(c) ? html` checked` : ''}> ${c}</label> `)}
${errors.currencies ? html`<strong class="field-error" role="alert">${errors.currencies}</strong>` : ''}</fieldset>
<p><label for="f-defaultFrequency">Frequency chosen at first</label>
<select id="f-defaultFrequency" name="defaultFrequency">${support.FREQUENCIES.map((f) => html`<option value="${f}"${v.defaultFrequency === f ? html` selected` : ''}>${support.FREQUENCY_LABELS[f]}</option>`)}</select></p>
${support.CURRENCIES.map((c) => support.FREQUENCIES.map((f) => field(`Suggested ${c}, ${support.FREQUENCY_LABELS[f].toLowerCase()}`, `suggested.${c}.${f}`, v.suggested[`${c}.${f}`] ?? '', errors, { hint: 'three amounts, e.g. 5, 10, 20' })))}
${support.FREQUENCIES.map((f) => html`${field(`Minimum, ${support.FREQUENCY_LABELS[f].toLowerCase()}`, `limits.${f}.min`, v.limits[`${f}.min`] ?? '', errors)}${field(`Maximum, ${support.FREQUENCY_LABELS[f].toLowerCase()}`, `limits.${f}.max`, v.limits[`${f}.max`] ?? '', errors)}`)}
${errors['limits.once'] || errors['limits.month'] || errors['limits.year'] ? html`<p class="field-error" role="alert">${errors['limits.once'] ?? errors['limits.month'] ?? errors['limits.year']}</p>` : ''}
<h2>Where and how often</h2>
${field('Pages without asks (one path per line, e.g. /articles/obituary)', 'excludedPaths', v.excludedPaths, errors, { textarea: true })}
${field('At most this many appeals per browser in 30 days (0: no limit and no counter cookie)', 'appealsPer30Days', v.appealsPer30Days, errors)}
<p><button type="submit">Save</button></p>
</form>`;
}

const page = (
  ctx: RouteContext,
  v: AppealForm,
  opts: { errors?: Record<string, string>; status?: number; flash?: string | null } = {},
) =>
  ctx.page('Reader support', view(ctx, v, opts.errors ?? {}), {
    status: opts.status ?? 200,
    flash: opts.flash ?? null,
  });

const appealDeps = (ctx: RouteContext) => {
  const m = ctx.request.server.masthead;
  return { db: m.db, clock: m.clock, publicationName: async () => (await getSettings(m.settings)).name };
};

/** Owners and admins edit the appeal: copy, amounts, currencies, limits, exclusions, frequency cap. */
export const supportRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/support/settings',
    access: 'staff',
    action: 'settings.manage',
    async handler(ctx) {
      const s = await support.getAppealSettings(appealDeps(ctx));
      return page(ctx, formFromSettings(s), {
        flash: str(ctx.request.query, 'saved') === '1' ? 'Saved. Public pages show the new appeal now.' : null,
      });
    },
  },
  {
    method: 'POST',
    url: '/support/settings',
    access: 'staff',
    action: 'settings.manage',
    async handler(ctx) {
      const values = formFromBody(ctx.request.body);
      try {
        await support.saveAppealSettings(appealDeps(ctx), settingsFromForm(values));
      } catch (err) {
        if (err instanceof ValidationError)
          return page(ctx, values, {
            errors: Object.keys(err.fields).length ? err.fields : { form: err.message },
            status: 400,
          });
        throw err;
      }
      // Cached pages carry the appeal: every process drops them.
      ctx.request.server.masthead.articles.contentChanged();
      await recordAudit(ctx.request.server.masthead.accounts, ctx.session?.staff ?? null, 'support.settings_changed', {
        type: 'settings',
        id: 'support',
      });
      return ctx.reply.redirect('/newsroom/support/settings?saved=1', 303);
    },
  },
];
