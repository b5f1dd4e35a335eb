import * as articles from '#articles';
import { can, recordAudit, type Action } from '#accounts';
import { ConflictError, ValidationError } from '#lib/errors.ts';
import { html } from '#lib/html.ts';
import { editorForm, emptyEditor, type EditorValues } from './article-editor.ts';
import type { RouteContext, RouteSpec } from './framework.ts';
import { revisionRoutes } from './revision-routes.ts';
import { list, parseId, parsePage, str } from '#http';

type Body = Record<string, unknown>;

function valuesFromBody(b: unknown, base: EditorValues): EditorValues {
  return {
    ...base,
    slug: str(b, 'slug').trim(),
    headline: str(b, 'headline'),
    standfirst: str(b, 'standfirst'),
    bodyMarkdown: str(b, 'bodyMarkdown'),
    sectionSlug: str(b, 'sectionSlug'),
    tags: str(b, 'tags'),
    authorSlugs: list(b, 'authorSlugs'),
    language: str(b, 'language') || 'en',
    leadMediaId: /^[1-9][0-9]*$/.test(str(b, 'leadMediaId')) ? str(b, 'leadMediaId') : '',
    leadAlt: str(b, 'leadAlt'),
    leadCaption: str(b, 'leadCaption'),
    leadCredit: str(b, 'leadCredit'),
    markUpdated: str(b, 'markUpdated') === '1',
  };
}

function toInput(v: EditorValues, now: Date): articles.ArticleInput {
  return {
    ...(v.slug ? { slug: v.slug } : {}),
    headline: v.headline,
    standfirst: v.standfirst,
    bodyMarkdown: v.bodyMarkdown,
    sectionSlug: v.sectionSlug || null,
    tags: v.tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    authorSlugs: v.authorSlugs,
    language: v.language,
    lead: v.leadMediaId
      ? { mediaId: Number(v.leadMediaId), alt: v.leadAlt, caption: v.leadCaption, credit: v.leadCredit }
      : null,
    status: v.status,
    publishedAt: v.publishedAt ? new Date(v.publishedAt) : null,
    updatedAt: v.markUpdated ? now : null,
  };
}

async function showEditor(
  ctx: RouteContext,
  v: EditorValues,
  extra: { errors?: Record<string, string>; message?: string; previewHtml?: string | null; status?: number } = {},
) {
  const deps = ctx.request.server.masthead.articles;
  const [sections, authors] = await Promise.all([articles.listSections(deps), articles.listAuthors(deps)]);
  const session = ctx.session;
  const canPublish =
    session !== null &&
    can(session.staff.role, 'articles.publish', v.id === null ? 'none' : (ctx.objectOwnership ?? 'none'));
  return ctx.page(
    v.id === null ? 'New article' : `Edit ${v.headline}`,
    editorForm(v, {
      csrf: ctx.csrf(),
      sections,
      authors,
      canPublish,
      ...(extra.errors ? { errors: extra.errors } : {}),
      ...(extra.message ? { message: extra.message } : {}),
      previewHtml: extra.previewHtml ?? null,
    }),
    { status: extra.status ?? 200, scripts: ['newsroom-editor.js'] },
  );
}

async function loadValues(ctx: RouteContext, id: number): Promise<EditorValues> {
  const a = await articles.getArticleForEditing(ctx.request.server.masthead.articles, id);
  return {
    id: a.id,
    slug: a.slug,
    headline: a.headline,
    standfirst: a.standfirst,
    bodyMarkdown: a.bodyMarkdown,
    sectionSlug: a.sectionSlug ?? '',
    tags: a.tags.join(', '),
    authorSlugs: a.authorSlugs,
    language: a.language,
    leadMediaId: a.lead ? String(a.lead.mediaId) : '',
    leadAlt: a.lead?.alt ?? '',
    leadCaption: a.lead?.caption ?? '',
    leadCredit: a.lead?.credit ?? '',
    markUpdated: false,
    status: a.status,
    submittedAt: a.submittedAt,
    publishedAt: a.publishedAt,
  };
}

/**
 * A workflow button on the editor page: run one step on the article, record it in the audit
 * log (with whatever detail the step returns), and go back to the editor.
 */
function workflowStep(
  url: string,
  action: Action,
  auditAction: string,
  run: (deps: articles.ArticlesDeps, id: number, body: unknown) => Promise<Record<string, unknown> | void>,
): RouteSpec {
  return {
    method: 'POST',
    url,
    access: 'staff',
    action,
    object: 'article',
    async handler({ request, reply, objectId, session }) {
      const m = request.server.masthead;
      const id = objectId ?? 0;
      const detail = (await run(m.articles, id, request.body)) ?? {};
      await recordAudit(m.accounts, session?.staff ?? null, auditAction, { type: 'article', id }, detail);
      return reply.redirect(`/newsroom/articles/${id}`, 303);
    },
  };
}

const STATUSES = ['draft', 'submitted', 'scheduled', 'published', 'unpublished'] as const;
const MAX_PREVIEW = 500_000;

export const articleRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/articles',
    access: 'staff',
    action: 'newsroom.view',
    async handler({ request, page }) {
      const deps = request.server.masthead.articles;
      const qs = request.query as Body;
      const status = STATUSES.find((s) => s === qs.status);
      const pageNo = parsePage((qs as Record<string, unknown> | undefined)?.page);
      const text = str(qs, 'q').slice(0, 200);
      const sectionSlug = str(qs, 'section').slice(0, 120);
      const authorSlug = str(qs, 'author').slice(0, 120);
      const result = await articles.listAllArticles(deps, {
        ...(status ? { status } : {}),
        ...(sectionSlug ? { sectionSlug } : {}),
        ...(authorSlug ? { authorSlug } : {}),
        ...(text ? { text } : {}),
        page: pageNo,
        perPage: 30,
      });
      const [sections, authors] = await Promise.all([articles.listSections(deps), articles.listAuthors(deps)]);
      return page(
        'Articles',
        html`<h1>Articles</h1>
<p><a class="nr-button" href="/newsroom/articles/new">New article</a></p>
<form method="get" action="/newsroom/articles" class="nr-filters">
  <label for="f-status">Status</label><select id="f-status" name="status"><option value="">All</option>${STATUSES.map((s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${s}</option>`)}</select>
  <label for="f-section">Section</label><select id="f-section" name="section"><option value="">All</option>${sections.map((s) => html`<option value="${s.slug}"${s.slug === sectionSlug ? html` selected` : ''}>${s.name}</option>`)}</select>
  <label for="f-author">Author</label><select id="f-author" name="author"><option value="">All</option>${authors.map((a) => html`<option value="${a.slug}"${a.slug === authorSlug ? html` selected` : ''}>${a.name}</option>`)}</select>
  <label for="f-q">Text</label><input id="f-q" name="q" value="${text}" maxlength="200">
  <button type="submit">Filter</button>
</form>
<table class="nr-table"><thead><tr><th scope="col">Headline</th><th scope="col">Section</th><th scope="col">Status</th><th scope="col">Changed</th></tr></thead>
<tbody>${result.items.map(
          (a) =>
            html`<tr><td><a href="/newsroom/articles/${a.id}">${a.headline}</a></td><td>${a.sectionName ?? '—'}</td><td>${a.status}${a.submittedAt && a.status === 'draft' ? ' (in review)' : ''}</td><td><time datetime="${a.modifiedAt}">${a.modifiedAt.slice(0, 16).replace('T', ' ')}</time></td></tr>`,
        )}</tbody></table>
<p>${result.total} article(s). Page ${result.page} of ${result.pageCount}.</p>`,
      );
    },
  },
  {
    method: 'GET',
    url: '/articles/new',
    access: 'staff',
    action: 'articles.create',
    handler: async (ctx) => showEditor(ctx, emptyEditor()),
  },
  {
    method: 'POST',
    url: '/articles/preview',
    access: 'staff',
    action: 'articles.create',
    async handler(ctx) {
      const id = parseId(str(ctx.request.body, 'id'));
      const v = valuesFromBody(ctx.request.body, { ...emptyEditor(), id: null });
      return showEditor(ctx, { ...v, id }, { previewHtml: articles.renderMarkdown(v.bodyMarkdown).html });
    },
  },
  {
    // The editor's script asks for the preview as JSON while people type; the HTML comes from
    // the same sanitiser as saved articles, so the script may insert it as it is.
    method: 'POST',
    url: '/articles/preview.json',
    access: 'staff',
    action: 'articles.create',
    async handler({ request, reply }) {
      const markdown = str(request.body, 'bodyMarkdown');
      if (markdown.length > MAX_PREVIEW)
        throw new ValidationError('NEWSROOM_PREVIEW_TOO_LONG', 'The body is too long to preview.', {
          bodyMarkdown: 'The body is too long',
        });
      return reply.type('application/json; charset=utf-8').send({ html: articles.renderMarkdown(markdown).html });
    },
  },
  {
    method: 'POST',
    url: '/articles',
    access: 'staff',
    action: 'articles.create',
    async handler(ctx) {
      const { request, reply, session } = ctx;
      const m = request.server.masthead;
      const v = valuesFromBody(request.body, emptyEditor());
      try {
        const id = await articles.createArticle(m.articles, toInput(v, m.clock.now()), {
          ...(session ? { createdBy: session.staff.id } : {}),
        });
        return reply.redirect(`/newsroom/articles/${id}`, 303);
      } catch (err) {
        if (err instanceof ValidationError || (err instanceof Error && 'status' in err && err.status === 409)) {
          const fields = err instanceof ValidationError ? err.fields : { slug: (err as Error).message };
          return showEditor(ctx, v, {
            errors: fields,
            message: 'Please correct the marked fields.',
            status: err instanceof ValidationError ? 400 : 409,
          });
        }
        throw err;
      }
    },
  },
  {
    method: 'GET',
    url: '/articles/:id',
    access: 'staff',
    action: 'articles.edit',
    object: 'article',
    handler: async (ctx) => showEditor(ctx, await loadValues(ctx, ctx.objectId ?? 0)),
  },
  {
    method: 'POST',
    url: '/articles/:id',
    access: 'staff',
    action: 'articles.edit',
    object: 'article',
    async handler(ctx) {
      const { request, reply } = ctx;
      const m = request.server.masthead;
      const id = ctx.objectId ?? 0;
      const current = await loadValues(ctx, id);
      const v = valuesFromBody(request.body, current);
      try {
        await articles.updateArticle(m.articles, id, toInput(v, m.clock.now()), {
          ...(ctx.session ? { revisionBy: ctx.session.staff.id } : {}),
        });
        return reply.redirect(`/newsroom/articles/${id}`, 303);
      } catch (err) {
        if (err instanceof ValidationError)
          return showEditor(ctx, v, { errors: err.fields, message: 'Please correct the marked fields.', status: 400 });
        if (err instanceof ConflictError && err.code === 'ARTICLES_SLUG_TAKEN')
          return showEditor(ctx, v, {
            errors: { slug: err.message },
            message: 'Please correct the marked fields.',
            status: 409,
          });
        throw err;
      }
    },
  },
  {
    // The editor's script saves drafts every few seconds. Answers JSON; published and
    // scheduled articles are refused (409) rather than changed behind the editor's back.
    method: 'POST',
    url: '/articles/:id/autosave',
    access: 'staff',
    action: 'articles.edit',
    object: 'article',
    async handler(ctx) {
      const { request, reply } = ctx;
      const m = request.server.masthead;
      const id = ctx.objectId ?? 0;
      const v = valuesFromBody(request.body, await loadValues(ctx, id));
      try {
        const saved = await articles.autosaveArticle(m.articles, id, toInput(v, m.clock.now()), ctx.session?.staff.id);
        return reply.type('application/json; charset=utf-8').send(saved);
      } catch (err) {
        if (err instanceof ValidationError)
          return reply
            .code(400)
            .type('application/json; charset=utf-8')
            .send({ code: err.code, message: err.message, errors: err.fields });
        if (err instanceof ConflictError)
          return reply.code(409).type('application/json; charset=utf-8').send({ code: err.code, message: err.message });
        throw err;
      }
    },
  },
  workflowStep('/articles/:id/submit', 'articles.submit', 'article.submitted', (deps, id) =>
    articles.submitForReview(deps, id),
  ),
  workflowStep('/articles/:id/publish', 'articles.publish', 'article.published', (deps, id) =>
    articles.publishNow(deps, id),
  ),
  workflowStep('/articles/:id/schedule', 'articles.publish', 'article.scheduled', async (deps, id, body) => {
    const raw = str(body, 'at');
    // datetime-local sends "YYYY-MM-DDTHH:MM" without a zone; the form says UTC.
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(raw) ? new Date(`${raw}Z`) : new Date(Number.NaN);
    if (Number.isNaN(at.getTime()))
      throw new ValidationError('NEWSROOM_BAD_TIME', 'Give the publication time as a date and time.');
    await articles.scheduleArticle(deps, id, at);
    return { at: at.toISOString() };
  }),
  workflowStep('/articles/:id/unpublish', 'articles.publish', 'article.unpublished', (deps, id) =>
    articles.unpublishArticle(deps, id),
  ),
  ...revisionRoutes,
];
