import type { ArticleStatus, Section } from '#articles';
import { html, unsafeRaw, type SafeHtml } from '#lib/html.ts';
import { csrfField, fieldError, invalid } from './layout.ts';

export interface EditorValues {
  id: number | null;
  slug: string;
  headline: string;
  standfirst: string;
  bodyMarkdown: string;
  sectionSlug: string;
  tags: string;
  authorSlugs: string[];
  language: string;
  leadMediaId: string;
  leadAlt: string;
  leadCaption: string;
  leadCredit: string;
  markUpdated: boolean;
  status: ArticleStatus;
  submittedAt: string | null;
  publishedAt: string | null;
}

export function emptyEditor(): EditorValues {
  return {
    id: null,
    slug: '',
    headline: '',
    standfirst: '',
    bodyMarkdown: '',
    sectionSlug: '',
    tags: '',
    authorSlugs: [],
    language: 'en',
    leadMediaId: '',
    leadAlt: '',
    leadCaption: '',
    leadCredit: '',
    markUpdated: false,
    status: 'draft',
    submittedAt: null,
    publishedAt: null,
  };
}

interface EditorOptions {
  csrf: string;
  sections: Section[];
  authors: { slug: string; name: string }[];
  errors?: Record<string, string>;
  message?: string;
  previewHtml?: string | null;
  canPublish: boolean;
}

/**
 * The article editor: Markdown on the left, a preview on the right. Without JavaScript the
 * Preview button posts the form and the server renders the preview next to it. With
 * /newsroom/assets/newsroom-editor.js the toolbar appears, the preview follows the typing
 * and drafts save themselves (the data-* attributes tell the script where to post).
 */
export function editorForm(v: EditorValues, o: EditorOptions): SafeHtml {
  const e = o.errors;
  const action = v.id === null ? '/newsroom/articles' : `/newsroom/articles/${v.id}`;
  // Only what readers cannot see saves itself; published text changes only on Save.
  const autosave =
    v.id !== null && (v.status === 'draft' || v.status === 'unpublished')
      ? `/newsroom/articles/${v.id}/autosave`
      : null;
  return html`<h1>${v.id === null ? 'New article' : html`Edit: ${v.headline}`}</h1>
<p class="nr-status">Status: <strong>${v.status}</strong>${v.submittedAt && v.status === 'draft' ? ' · submitted for review' : ''}${v.publishedAt ? html` · ${v.status === 'scheduled' ? 'publishes' : 'published'} <time datetime="${v.publishedAt}">${v.publishedAt.replace('T', ' ').slice(0, 16)} UTC</time>` : ''}</p>
${v.id !== null ? html`<p><a href="/newsroom/articles/${v.id}/revisions">Revision history</a></p>` : ''}
${o.message ? html`<p class="nr-error" role="alert">${o.message}</p>` : ''}
<div class="nr-editor">
<form method="post" action="${action}" class="nr-form nr-editor-form" id="article-form" data-preview-url="/newsroom/articles/preview.json"${autosave ? html` data-autosave-url="${autosave}"` : ''}>
  ${csrfField(o.csrf)}
  <label for="headline">Headline</label>
  <input id="headline" name="headline" required maxlength="300" value="${v.headline}"${invalid(e, 'headline')}>
  ${fieldError(e, 'headline')}
  <label for="standfirst">Standfirst</label>
  <textarea id="standfirst" name="standfirst" rows="2" maxlength="1000">${v.standfirst}</textarea>
  <label for="slug">Slug <span class="nr-hint">(address: /articles/slug; leave empty to make one from the headline)</span></label>
  <input id="slug" name="slug" maxlength="120" pattern="[a-z0-9]+(-[a-z0-9]+)*" value="${v.slug}"${invalid(e, 'slug')}>
  ${fieldError(e, 'slug')}
  <label for="bodyMarkdown">Body <span class="nr-hint">(Markdown: **bold**, _italic_, ## heading, &gt; quote, [link](https://…))</span></label>
  <div class="nr-toolbar" role="group" aria-label="Formatting for the body" hidden>
    <button type="button" data-md="bold" aria-keyshortcuts="Control+B"><strong>B</strong><span class="visually-hidden"> Bold</span></button>
    <button type="button" data-md="italic" aria-keyshortcuts="Control+I"><em>I</em><span class="visually-hidden"> Italic</span></button>
    <button type="button" data-md="link">Link</button>
    <button type="button" data-md="quote">Quote</button>
    <button type="button" data-md="heading">Heading</button>
  </div>
  <textarea id="bodyMarkdown" name="bodyMarkdown" rows="18"${invalid(e, 'bodyMarkdown')}>${v.bodyMarkdown}</textarea>
  ${fieldError(e, 'bodyMarkdown')}
  <div class="nr-row">
    <div><label for="sectionSlug">Section</label>
    <select id="sectionSlug" name="sectionSlug"><option value="">(none)</option>${o.sections.map((s) => html`<option value="${s.slug}"${s.slug === v.sectionSlug ? html` selected` : ''}>${s.name}</option>`)}</select>
    ${fieldError(e, 'sectionSlug')}</div>
    <div><label for="language">Language</label><input id="language" name="language" maxlength="20" value="${v.language}"${invalid(e, 'language')}>${fieldError(e, 'language')}</div>
  </div>
  <label for="tags">Tags <span class="nr-hint">(comma-separated)</span></label>
  <input id="tags" name="tags" maxlength="1000" value="${v.tags}">
  <fieldset><legend>Authors</legend>
  ${o.authors.map((a) => html`<label class="nr-check"><input type="checkbox" name="authorSlugs" value="${a.slug}"${v.authorSlugs.includes(a.slug) ? html` checked` : ''}> ${a.name}</label>`)}
  ${fieldError(e, 'authorSlugs')}
  </fieldset>
  <fieldset><legend>Lead image</legend>
  <label for="leadMediaId">Image number <span class="nr-hint">(from the <a href="/newsroom/media">media library</a>, where you can upload one; empty for none)</span></label>
  <input id="leadMediaId" name="leadMediaId" inputmode="numeric" pattern="[0-9]*" maxlength="10" value="${v.leadMediaId}"${invalid(e, 'lead.mediaId')}>
  ${fieldError(e, 'lead.mediaId')}
  <label for="leadAlt">Alt text <span class="nr-hint">(what the image shows, for people who cannot see it)</span></label>
  <input id="leadAlt" name="leadAlt" maxlength="500" value="${v.leadAlt}">
  <label for="leadCaption">Caption</label>
  <input id="leadCaption" name="leadCaption" maxlength="1000" value="${v.leadCaption}">
  <label for="leadCredit">Credit <span class="nr-hint">(e.g. “Name / Agency”)</span></label>
  <input id="leadCredit" name="leadCredit" maxlength="300" value="${v.leadCredit}">
  </fieldset>
  ${v.status === 'published' ? html`<label class="nr-check"><input type="checkbox" name="markUpdated" value="1"${v.markUpdated ? html` checked` : ''}> Show readers an “Updated” time</label>` : ''}
  <div class="nr-actions">
    <button type="submit" name="intent" value="save">Save</button>
    <button type="submit" name="intent" value="preview" formaction="/newsroom/articles/preview">Preview</button>
    <p class="nr-autosave" id="autosave-status" role="status" aria-live="polite"></p>
  </div>
</form>
<section class="nr-preview" aria-labelledby="preview-title">
  <h2 id="preview-title">Preview</h2>
  ${
    o.previewHtml === undefined || o.previewHtml === null
      ? html`<p class="nr-hint" id="preview-hint">Press Preview to see the article as readers will.</p>`
      : html`<article class="nr-preview-body" id="preview-article"><h1>${v.headline}</h1><p class="standfirst"${v.standfirst ? '' : html` hidden`}>${v.standfirst}</p><div class="nr-preview-html">${unsafeRaw(o.previewHtml)}</div></article>`
  }
</section>
</div>
${v.id !== null ? workflowForms(v, o) : ''}`;
}

function workflowForms(v: EditorValues, o: EditorOptions): SafeHtml {
  const id = v.id ?? 0;
  return html`<section class="nr-workflow" aria-labelledby="workflow-title">
<h2 id="workflow-title">Workflow</h2>
${v.status === 'draft' && !v.submittedAt ? html`<form method="post" action="/newsroom/articles/${id}/submit">${csrfField(o.csrf)}<button type="submit">Submit for review</button></form>` : ''}
${
  o.canPublish && v.status !== 'published'
    ? html`<form method="post" action="/newsroom/articles/${id}/publish">${csrfField(o.csrf)}<button type="submit">Publish now</button></form>
<form method="post" action="/newsroom/articles/${id}/schedule" class="nr-inline">${csrfField(o.csrf)}<label for="at">Publish at (UTC)</label><input id="at" name="at" type="datetime-local" step="1" required><button type="submit">Schedule</button></form>`
    : ''
}
${o.canPublish && (v.status === 'published' || v.status === 'scheduled') ? html`<form method="post" action="/newsroom/articles/${id}/unpublish">${csrfField(o.csrf)}<button type="submit">${v.status === 'scheduled' ? 'Unschedule' : 'Unpublish'}</button></form>` : ''}
</section>`;
}
