import {
  SOCIAL_NETWORKS,
  type PrivacyPolicySummary,
  type PrivacyPolicyVersion,
  type Settings,
  type SocialNetwork,
} from '#settings';
import { html, unsafeRaw, type SafeHtml } from '#lib/html.ts';
import { csrfField, fieldError, invalid } from './layout.ts';

/** The settings form's values as typed, so a refused form comes back as it was sent. */
export interface SettingsForm {
  name: string;
  tagline: string;
  description: string;
  language: string;
  timeZone: string;
  baseUrl: string;
  social: Record<SocialNetwork, string>;
  logoMediaId: string;
}

export const SOCIAL_LABELS: Record<SocialNetwork, { label: string; example: string }> = {
  mastodon: { label: 'Mastodon', example: 'https://mastodon.social/@yourpublication' },
  bluesky: { label: 'Bluesky', example: 'https://bsky.app/profile/yourpublication.org' },
  telegram: { label: 'Telegram', example: 'https://t.me/yourpublication' },
  x: { label: 'X (Twitter)', example: 'https://x.com/yourpublication' },
  facebook: { label: 'Facebook', example: 'https://www.facebook.com/yourpublication' },
  instagram: { label: 'Instagram', example: 'https://www.instagram.com/yourpublication' },
  youtube: { label: 'YouTube', example: 'https://www.youtube.com/@yourpublication' },
};

export function formFromSettings(s: Settings): SettingsForm {
  const social = Object.fromEntries(SOCIAL_NETWORKS.map((n) => [n, s.social[n] ?? ''])) as Record<
    SocialNetwork,
    string
  >;
  return {
    name: s.name,
    tagline: s.tagline,
    description: s.description,
    language: s.language,
    timeZone: s.timeZone,
    baseUrl: s.baseUrl,
    social,
    logoMediaId: s.logo ? String(s.logo.mediaId) : '',
  };
}

// Computed once: the list does not change while the process runs.
let zones: readonly string[] | null = null;
function timeZones(): readonly string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return zones;
}

function text(
  name: string,
  label: string,
  value: string,
  e: Record<string, string> | undefined,
  attrs: SafeHtml = html``,
  hint = '',
): SafeHtml {
  return html`<label for="${name}">${label}${hint ? html` <span class="nr-hint">(${hint})</span>` : ''}</label>
  <input id="${name}" name="${name}" value="${value}"${attrs}${invalid(e, name)}>
  ${fieldError(e, name)}`;
}

export function settingsView(
  v: SettingsForm,
  o: { csrf: string; errors?: Record<string, string> | undefined; canSeeOutbox: boolean },
): SafeHtml {
  const e = o.errors;
  const zoneList = timeZones().includes(v.timeZone) ? timeZones() : [v.timeZone, ...timeZones()];
  return html`<h1>Publication settings</h1>
<p><a href="/newsroom/settings/privacy">Privacy policy</a>${o.canSeeOutbox ? html` · <a href="/newsroom/outbox">Mail outbox</a>` : ''}</p>
${e ? html`<p class="nr-error" role="alert">Nothing was saved. Please correct the marked fields.</p>` : ''}
<form method="post" action="/newsroom/settings" class="nr-form">
  ${csrfField(o.csrf)}
  ${text('name', 'Publication name', v.name, e, html` required maxlength="120"`)}
  ${text('tagline', 'Tagline', v.tagline, e, html` maxlength="200"`, 'shown under the name')}
  <label for="description">Description <span class="nr-hint">(for search engines and feeds)</span></label>
  <textarea id="description" name="description" rows="3" maxlength="1000"${invalid(e, 'description')}>${v.description}</textarea>
  ${fieldError(e, 'description')}
  ${text('language', 'Language', v.language, e, html` required maxlength="35" autocomplete="off"`, 'a tag such as en, de or pt-BR')}
  <label for="timeZone">Time zone <span class="nr-hint">(dates on the site are shown in it)</span></label>
  <select id="timeZone" name="timeZone"${invalid(e, 'timeZone')}>${zoneList.map((z) => html`<option${z === v.timeZone ? html` selected` : ''}>${z}</option>`)}</select>
  ${fieldError(e, 'timeZone')}
  ${text('baseUrl', 'Site address', v.baseUrl, e, html` type="url" required maxlength="300"`, 'the address readers use, e.g. https://news.example.org')}
  <fieldset><legend>Social links <span class="nr-hint">(optional; full https:// addresses)</span></legend>
  ${SOCIAL_NETWORKS.map((n) => text(`social.${n}`, SOCIAL_LABELS[n].label, v.social[n], e, html` type="url" maxlength="500" placeholder="${SOCIAL_LABELS[n].example}"`))}
  </fieldset>
  ${text('logoMediaId', 'Logo (image number)', v.logoMediaId, e, html` inputmode="numeric" pattern="[0-9]*" maxlength="10"`, 'upload it in the media library and give its number here; empty shows the name in text')}
  <button type="submit">Save settings</button>
</form>`;
}

const when = (iso: string) => html`<time datetime="${iso}">${iso.replace('T', ' ').slice(0, 16)} UTC</time>`;

export function privacyView(o: {
  csrf: string;
  current: PrivacyPolicyVersion | null;
  shown: PrivacyPolicyVersion | null;
  history: PrivacyPolicySummary[];
  names: Map<number, string>;
  draft: string;
  errors?: Record<string, string> | undefined;
}): SafeHtml {
  const e = o.errors;
  const shown = o.shown;
  return html`<h1>Privacy policy</h1>
<p><a href="/newsroom/settings">Back to settings</a> · Readers see the current version at <a href="/privacy">/privacy</a>.</p>
${
  shown
    ? html`<section aria-labelledby="shown-title">
<h2 id="shown-title">${shown.version === o.current?.version ? 'Current version' : 'Earlier version'} ${shown.version}, published ${when(shown.publishedAt)}</h2>
<div class="nr-preview">${unsafeRaw(shown.html)}</div>
</section>`
    : html`<p>No privacy policy has been published yet. Publish one before collecting readers’ email addresses.</p>`
}
<h2>Publish a new version</h2>
<p class="nr-hint">Publishing adds version ${(o.current?.version ?? 0) + 1}; earlier versions stay as they were, so everyone’s agreement can be traced to the text they saw.</p>
${e ? html`<p class="nr-error" role="alert">Nothing was published.</p>` : ''}
<form method="post" action="/newsroom/settings/privacy" class="nr-form">
  ${csrfField(o.csrf)}
  <label for="markdown">Policy text <span class="nr-hint">(Markdown)</span></label>
  <textarea id="markdown" name="markdown" rows="20" required${invalid(e, 'markdown')}>${o.draft}</textarea>
  ${fieldError(e, 'markdown')}
  <button type="submit">Publish version ${(o.current?.version ?? 0) + 1}</button>
</form>
${
  o.history.length
    ? html`<h2>History</h2>
<table class="nr-table"><thead><tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col">By</th></tr></thead><tbody>
${o.history.map(
  (h) =>
    html`<tr><td>${h.version === shown?.version ? html`${h.version} (shown)` : html`<a href="/newsroom/settings/privacy?version=${h.version}">${h.version}</a>`}${h.version === o.current?.version ? ' · current' : ''}</td><td>${when(h.publishedAt)}</td><td>${h.createdBy === null ? '(removed)' : (o.names.get(h.createdBy) ?? '(removed)')}</td></tr>`,
)}
</tbody></table>`
    : ''
}`;
}
