import type { ArticleSummary } from '#articles';
import type { Edition, EditionSummary } from '#editions';
import { describeLocal, LIMITS, toLocalInput } from '#editions';
import { html, type SafeHtml } from '#lib/html.ts';
import { csrfField, fieldError, invalid } from './layout.ts';

type Errors = Record<string, string> | undefined;

const STATUS_LABEL: Record<EditionSummary['status'], string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  sending: 'Sending',
  paused: 'Paused',
  sent: 'Sent',
  cancelled: 'Cancelled',
};

function when(e: EditionSummary, tz: string): string {
  const t = e.sentAt ?? e.startedAt ?? e.scheduledFor;
  if (t) return describeLocal(new Date(t), tz);
  return e.autoFriday ? `draft for Friday ${e.autoFriday}` : '';
}

export function editionListView(o: {
  items: EditionSummary[];
  total: number;
  page: number;
  pageCount: number;
  timeZone: string;
  csrf: string;
  block: { title: string; description: string };
  errors?: Errors;
}): SafeHtml {
  const e = o.errors;
  return html`<h1>Newsletter</h1>
<p><a href="/newsletter/archive">Public archive</a> · <a href="/newsletter">Signup page</a></p>
<form method="post" action="/newsroom/newsletter/editions" class="nr-inline">${csrfField(o.csrf)}<button type="submit">New edition</button></form>
${
  o.items.length === 0
    ? html`<p>No editions yet.</p>`
    : html`<table class="nr-table"><thead><tr><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">When</th><th scope="col">Recipients</th></tr></thead><tbody>
${o.items.map((x) => html`<tr><td><a href="/newsroom/newsletter/editions/${x.id}">${x.subject}</a></td><td>${STATUS_LABEL[x.status]}</td><td>${when(x, o.timeZone)}</td><td>${x.status === 'draft' || x.status === 'scheduled' || x.status === 'cancelled' ? '' : html`${x.recipientCount} · <a href="/newsroom/newsletter/editions/${x.id}/delivery">delivery</a>`}</td></tr>`)}
</tbody></table>`
}
<p>${o.total} edition${o.total === 1 ? '' : 's'} · page ${o.page} of ${o.pageCount}${o.page > 1 ? html` · <a href="/newsroom/newsletter?page=${o.page - 1}">Newer</a>` : ''}${o.page < o.pageCount ? html` · <a href="/newsroom/newsletter?page=${o.page + 1}">Older</a>` : ''}</p>
<h2 id="signup-block">Signup block</h2>
<p class="nr-hint">Shown under articles and on the newsletter page.</p>
${e ? html`<p class="nr-error" role="alert">Nothing was saved. Please correct the marked fields.</p>` : ''}
<form method="post" action="/newsroom/newsletter/signup-block" class="nr-form">
  ${csrfField(o.csrf)}
  <label for="title">Title</label>
  <input id="title" name="title" value="${o.block.title}" required maxlength="120"${invalid(e, 'title')}>
  ${fieldError(e, 'title')}
  <label for="description">Description</label>
  <textarea id="description" name="description" rows="3" maxlength="400"${invalid(e, 'description')}>${o.block.description}</textarea>
  ${fieldError(e, 'description')}
  <button type="submit">Save signup block</button>
</form>`;
}

/** The composer's values as typed, so a refused form comes back as it was sent. */
export interface ComposerForm {
  subject: string;
  preheader: string;
  intro: string;
  signOff: string;
  headings: Map<number, string>;
  blurbs: Map<number, string>;
  newHeading: string;
}

export function formFromEdition(ed: Edition): ComposerForm {
  return {
    subject: ed.subject,
    preheader: ed.preheader,
    intro: ed.intro,
    signOff: ed.signOff,
    headings: new Map(ed.items.filter((i) => i.kind === 'heading').map((i) => [i.id, i.heading])),
    blurbs: new Map(ed.items.filter((i) => i.kind === 'article').map((i) => [i.id, i.blurb])),
    newHeading: '',
  };
}

function itemView(ed: Edition, f: ComposerForm, e: Errors, index: number, editable: boolean): SafeHtml {
  const item = ed.items[index];
  if (!item) return html``;
  const last = index === ed.items.length - 1;
  const buttons = editable
    ? html`<div class="nr-actions">
  <button type="submit" name="op" value="up:${item.id}"${index === 0 ? html` disabled` : ''} aria-label="Move up: ${item.kind === 'heading' ? item.heading : (item.article?.headline ?? 'item')}">Up</button>
  <button type="submit" name="op" value="down:${item.id}"${last ? html` disabled` : ''} aria-label="Move down: ${item.kind === 'heading' ? item.heading : (item.article?.headline ?? 'item')}">Down</button>
  <button type="submit" name="op" value="remove:${item.id}" aria-label="Remove: ${item.kind === 'heading' ? item.heading : (item.article?.headline ?? 'item')}">Remove</button>
</div>`
    : '';
  if (item.kind === 'heading') {
    const name = `item-${item.id}-heading`;
    return html`<li class="nr-edition-item" id="item-${item.id}">
  <label for="${name}">Section heading</label>
  <input id="${name}" name="${name}" value="${f.headings.get(item.id) ?? item.heading}" maxlength="${LIMITS.heading}"${editable ? '' : html` readonly`}${invalid(e, name)}>
  ${fieldError(e, name)}${buttons}
</li>`;
  }
  const name = `item-${item.id}-blurb`;
  return html`<li class="nr-edition-item" id="item-${item.id}">
  <p><strong>${item.article ? html`<a href="/articles/${item.article.slug}">${item.article.headline}</a>` : 'An article that is no longer published (left out when sending)'}</strong>${item.article?.section ? html` <span class="nr-hint">${item.article.section.name}</span>` : ''}</p>
  <label for="${name}">Blurb</label>
  <textarea id="${name}" name="${name}" rows="3" maxlength="${LIMITS.blurb}"${editable ? '' : html` readonly`}${invalid(e, name)}>${f.blurbs.get(item.id) ?? item.blurb}</textarea>
  ${fieldError(e, name)}${buttons}
</li>`;
}

function pickList(title: string, articles: ArticleSummary[], inEdition: Set<number>): SafeHtml {
  const available = articles.filter((a) => !inEdition.has(a.id));
  return html`<h3>${title}</h3>
${
  available.length === 0
    ? html`<p class="nr-hint">Nothing to add here.</p>`
    : html`<ul class="nr-pick">${available.map((a) => html`<li><button type="submit" name="op" value="add-article:${a.id}">Add</button> ${a.headline}${a.publishedAt ? html` <span class="nr-hint">${a.publishedAt.slice(0, 10)}</span>` : ''}</li>`)}</ul>`
}`;
}

export function composerView(o: {
  edition: Edition;
  form: ComposerForm;
  errors?: Errors;
  csrf: string;
  timeZone: string;
  search: string;
  results: ArticleSummary[] | null;
  suggestions: ArticleSummary[];
  defaultAt: Date;
  scheduleError?: string;
  /** The time as typed, when a schedule was refused. */
  atInput?: string;
  now: Date;
}): SafeHtml {
  const ed = o.edition;
  const f = o.form;
  const e = o.errors;
  const editable = ed.status === 'draft' || ed.status === 'scheduled';
  const base = `/newsroom/newsletter/editions/${ed.id}`;
  const inEdition = new Set(ed.items.flatMap((i) => (i.articleId === null ? [] : [i.articleId])));
  // A scheduled edition whose time passed a while ago: no worker, or a render that keeps failing.
  const late =
    ed.status === 'scheduled' &&
    ed.scheduledFor !== null &&
    new Date(ed.scheduledFor).getTime() < o.now.getTime() - 5 * 60_000;
  return html`<h1>${ed.subject}</h1>
${late ? html`<p class="nr-error" role="alert">This edition was due at ${describeLocal(new Date(ed.scheduledFor ?? 0), o.timeZone)} but has not started sending. Check that a worker is running (masthead worker, or WORKER_IN_PROCESS) and look at its log.</p>` : ''}
<p><a href="/newsroom/newsletter">All editions</a> · Status: <strong>${STATUS_LABEL[ed.status]}</strong>${ed.scheduledFor && ed.status === 'scheduled' ? html` for ${describeLocal(new Date(ed.scheduledFor), o.timeZone)}` : ''}${ed.autoFriday ? html` · made automatically for Friday ${ed.autoFriday}` : ''}
 · <a href="${base}/preview">Preview</a>${ed.slug && !editable ? html` · <a href="/newsletter/editions/${ed.slug}">Web page</a>` : ''}${!editable && ed.status !== 'cancelled' ? html` · <a href="${base}/delivery">Delivery progress</a>` : ''}</p>
${
  editable
    ? html`<form method="get" action="${base}" class="nr-filters" role="search">
  <label for="q">Find published articles</label>
  <input id="q" name="q" type="search" maxlength="200" value="${o.search}">
  <button type="submit">Search</button>
</form>`
    : html`<p class="nr-hint">This edition went out; it can no longer be changed.</p>`
}
${e ? html`<p class="nr-error" role="alert">Nothing was saved. Please correct the marked fields.</p>` : ''}
<form method="post" action="${base}" class="nr-form nr-composer">
  ${csrfField(o.csrf)}
  ${editable ? html`<button type="submit" name="op" value="save" class="visually-hidden" tabindex="-1">Save</button>` : ''}
  ${editable && o.results !== null ? pickList(`Search results for “${o.search}”`, o.results, inEdition) : ''}
  ${fieldError(e, 'search')}
  <label for="subject">Subject</label>
  <input id="subject" name="subject" value="${f.subject}" required maxlength="${LIMITS.subject}"${editable ? '' : html` readonly`}${invalid(e, 'subject')}>
  ${fieldError(e, 'subject')}
  <label for="preheader">Preheader <span class="nr-hint">(the line mail programs show after the subject)</span></label>
  <input id="preheader" name="preheader" value="${f.preheader}" maxlength="${LIMITS.preheader}"${editable ? '' : html` readonly`}${invalid(e, 'preheader')}>
  ${fieldError(e, 'preheader')}
  <label for="intro">Intro note</label>
  <textarea id="intro" name="intro" rows="5" maxlength="${LIMITS.intro}"${editable ? '' : html` readonly`}${invalid(e, 'intro')}>${f.intro}</textarea>
  ${fieldError(e, 'intro')}
  <h2>Items</h2>
  ${fieldError(e, 'items')}
  ${ed.items.length === 0 ? html`<p>No items yet. Search for articles above or add one of this week’s below.</p>` : html`<ol class="nr-edition-items">${ed.items.map((_, i) => itemView(ed, f, e, i, editable))}</ol>`}
  ${
    editable
      ? html`<label for="newHeading">New section heading</label>
  <input id="newHeading" name="newHeading" value="${f.newHeading}" maxlength="${LIMITS.heading}"${invalid(e, 'newHeading')}>
  ${fieldError(e, 'newHeading')}
  <button type="submit" name="op" value="add-heading">Add heading</button>
  ${pickList('Published in the last seven days', o.suggestions, inEdition)}`
      : ''
  }
  <label for="signOff">Sign-off</label>
  <textarea id="signOff" name="signOff" rows="3" maxlength="${LIMITS.signOff}"${editable ? '' : html` readonly`}${invalid(e, 'signOff')}>${f.signOff}</textarea>
  ${fieldError(e, 'signOff')}
  ${editable ? html`<button type="submit" name="op" value="save">Save</button>` : ''}
</form>
${editable ? scheduleForms(ed, base, o) : ''}`;
}

function scheduleForms(
  ed: Edition,
  base: string,
  o: { csrf: string; timeZone: string; defaultAt: Date; scheduleError?: string; atInput?: string },
): SafeHtml {
  const at = ed.status === 'scheduled' && ed.scheduledFor ? new Date(ed.scheduledFor) : o.defaultAt;
  return html`<h2>Send</h2>
<p class="nr-hint">Save your changes first: sending uses the edition as saved. It is rendered once, when it goes out.</p>
<form method="post" action="${base}/test" class="nr-inline">${csrfField(o.csrf)}<button type="submit">Send a test to my address</button></form>
<form method="post" action="${base}/schedule" class="nr-form">
  ${csrfField(o.csrf)}
  <label for="at">Send at <span class="nr-hint">(${o.timeZone} time)</span></label>
  <input id="at" name="at" type="datetime-local" value="${o.atInput ?? toLocalInput(at, o.timeZone)}"${o.scheduleError ? html` aria-invalid="true" aria-describedby="at-error"` : ''}>
  ${o.scheduleError ? html`<p class="nr-error" id="at-error">${o.scheduleError}</p>` : ''}
  <button type="submit" name="when" value="at">${ed.status === 'scheduled' ? 'Reschedule' : 'Schedule'}</button>
  <button type="submit" name="when" value="now">Send now</button>
</form>
${
  ed.status === 'scheduled'
    ? html`<form method="post" action="${base}/unschedule" class="nr-inline">${csrfField(o.csrf)}<button type="submit">Unschedule (back to draft)</button></form>`
    : html`<form method="post" action="${base}/discard" class="nr-inline">${csrfField(o.csrf)}<button type="submit">Discard this draft</button></form>`
}`;
}

export function previewView(o: { edition: Edition; text: string }): SafeHtml {
  const base = `/newsroom/newsletter/editions/${o.edition.id}`;
  return html`<h1>Preview: ${o.edition.subject}</h1>
<p><a href="${base}">Back to the edition</a></p>
<p class="nr-hint">Links to unsubscribe and manage the subscription point at the newsletter page here; each reader gets their own.</p>
<h2>Desktop</h2>
<iframe class="nr-mail-html nr-mail-desktop" sandbox src="${base}/preview.html" title="The edition at desktop width" referrerpolicy="no-referrer" width="700" height="900"></iframe>
<h2>Phone</h2>
<iframe class="nr-mail-html nr-mail-phone" sandbox src="${base}/preview.html" title="The edition at phone width" referrerpolicy="no-referrer" width="375" height="900"></iframe>
<h2>Plain text</h2>
<pre class="nr-mail-text">${o.text}</pre>`;
}
