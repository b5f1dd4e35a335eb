import * as articles from '#articles';
import { listStaff, recordAudit } from '#accounts';
import { html, type SafeHtml } from '#lib/html.ts';
import type { DiffLine } from '#lib/line-diff.ts';
import type { RouteSpec } from './framework.ts';
import { csrfField } from './layout.ts';

const when = (iso: string) => html`<time datetime="${iso}">${iso.slice(0, 19).replace('T', ' ')} UTC</time>`;

async function staffNames(deps: Parameters<typeof listStaff>[0]): Promise<Map<number, string>> {
  return new Map((await listStaff(deps)).map((s) => [s.id, s.name]));
}

function noteText(note: string): string {
  return note === articles.AUTOSAVE_NOTE ? 'autosaved' : note || '—';
}

// Each line carries words for screen readers, which often say nothing about <ins> and <del>.
function diffBlock(label: string, lines: DiffLine[]): SafeHtml {
  if (lines.every((l) => l.op === 'same')) return html`<h2>${label}</h2><p class="nr-hint">No changes.</p>`;
  return html`<h2>${label}</h2>
<pre class="nr-diff">${lines.map((l) =>
    l.op === 'added'
      ? html`<ins><span class="visually-hidden">Added: </span>${l.text}</ins>\n`
      : l.op === 'removed'
        ? html`<del><span class="visually-hidden">Removed: </span>${l.text}</del>\n`
        : html`<span>${l.text}</span>\n`,
  )}</pre>`;
}

/** The revision history of an article: list, compare with now, restore. */
export const revisionRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/articles/:id/revisions',
    access: 'staff',
    action: 'articles.edit',
    object: 'article',
    async handler({ request, objectId, page }) {
      const m = request.server.masthead;
      const id = objectId ?? 0;
      const [article, history, names] = await Promise.all([
        articles.getArticleForEditing(m.articles, id),
        articles.listRevisions(m.articles, id),
        staffNames(m.accounts),
      ]);
      return page(
        `Revisions of ${article.headline}`,
        html`<h1>Revisions: ${article.headline}</h1>
<p><a href="/newsroom/articles/${id}">Back to the editor</a></p>
<p class="nr-hint">Every save keeps the headline, standfirst and body as they were. Open a revision to compare it with the current text and to restore it.</p>
${
  history.items.length === 0
    ? html`<p>No revisions yet.</p>`
    : html`<table class="nr-table"><thead><tr><th scope="col">Revision</th><th scope="col">Saved</th><th scope="col">By</th><th scope="col">Note</th><th scope="col">Headline</th></tr></thead>
<tbody>${history.items.map(
        (r, i) =>
          html`<tr><td><a href="/newsroom/articles/${id}/revisions/${r.id}">#${r.id}</a>${i === 0 ? ' (latest)' : ''}</td><td>${when(r.createdAt)}</td><td>${r.createdBy === null ? '—' : (names.get(r.createdBy) ?? 'former staff')}</td><td>${noteText(r.note)}</td><td>${r.headline}</td></tr>`,
      )}</tbody></table>
<p>${history.total > history.items.length ? `The latest ${history.items.length} of ${history.total} revisions.` : `${history.total} revision(s).`}</p>`
}`,
      );
    },
  },
  {
    method: 'GET',
    url: '/articles/:id/revisions/:rev',
    access: 'staff',
    action: 'articles.edit',
    object: 'article',
    async handler({ request, objectId, rev, csrf, page }) {
      const m = request.server.masthead;
      const id = objectId ?? 0;
      const [cmp, names] = await Promise.all([
        articles.compareRevision(m.articles, id, rev ?? 0),
        staffNames(m.accounts),
      ]);
      const r = cmp.revision;
      return page(
        `Revision #${r.id}`,
        html`<h1>Revision #${r.id}</h1>
<p>Saved ${when(r.createdAt)}${r.createdBy === null ? '' : html` by ${names.get(r.createdBy) ?? 'former staff'}`}${r.note ? html` · ${noteText(r.note)}` : ''}.</p>
<p><a href="/newsroom/articles/${id}/revisions">All revisions</a> · <a href="/newsroom/articles/${id}">Back to the editor</a></p>
${
  cmp.same
    ? html`<p class="nr-flash" role="status">This revision is the current text.</p>`
    : html`<p class="nr-hint">Changes from this revision to the current text: <del>removed since</del>, <ins>added since</ins>.</p>
${diffBlock('Headline', cmp.headline)}
${diffBlock('Standfirst', cmp.standfirst)}
${diffBlock('Body', cmp.body)}
<form method="post" action="/newsroom/articles/${id}/revisions/${r.id}/restore" class="nr-actions">${csrfField(csrf())}<button type="submit">Restore this revision</button>
<span class="nr-hint">Brings back its headline, standfirst and body as a new save; nothing else changes, and the current text stays in the history.</span></form>`
}`,
      );
    },
  },
  {
    method: 'POST',
    url: '/articles/:id/revisions/:rev/restore',
    access: 'staff',
    action: 'articles.edit',
    object: 'article',
    async handler({ request, reply, objectId, rev, session }) {
      const m = request.server.masthead;
      const id = objectId ?? 0;
      await articles.restoreRevision(m.articles, id, rev ?? 0, session?.staff.id);
      await recordAudit(
        m.accounts,
        session?.staff ?? null,
        'article.revision_restored',
        { type: 'article', id },
        { revision: rev },
      );
      return reply.redirect(`/newsroom/articles/${id}`, 303);
    },
  },
];
