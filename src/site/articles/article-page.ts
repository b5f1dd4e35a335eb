import type { Article, ArticleSummary } from '#articles';
import { html, unsafeRaw } from '#lib/html.ts';
import { byline, card, dateline, picture } from '../components.ts';
import type { SiteContext } from '../context.ts';
import { layout } from '../layout.ts';
import { urls } from '../urls.ts';
import { articleHead } from './seo.ts';

export function articlePage(ctx: SiteContext, a: Article, related: ArticleSummary[]): string {
  const main = html`<article class="article wrap-narrow" lang="${a.language}">
  <header class="article-header">
    ${a.section ? html`<p class="kicker"><a href="${urls.section(a.section.slug)}">${a.section.name}</a></p>` : ''}
    <h1 class="headline">${a.headline}</h1>
    ${a.standfirst ? html`<p class="standfirst">${a.standfirst}</p>` : ''}
    <p class="meta">
      ${byline(a.authors)}
      <span class="dates">${dateline(ctx, a.publishedAt, true)}${a.updatedAt && a.updatedAt !== a.publishedAt ? html` · <span class="updated">Updated ${dateline(ctx, a.updatedAt, true)}</span>` : ''}</span>
    </p>
  </header>
  ${
    a.lead
      ? html`<figure class="lead-image">
    ${picture(a.lead, '(min-width: 48rem) 46rem, 100vw', { eager: true })}
    ${a.lead.caption || a.lead.credit ? html`<figcaption>${a.lead.caption ? html`<p class="caption">${a.lead.caption}</p>` : ''}${a.lead.credit ? html`<p class="credit">Photo: ${a.lead.credit}</p>` : ''}</figcaption>` : ''}
  </figure>`
      : ''
  }
  <div class="article-body">${unsafeRaw(a.bodyHtml)}</div>
  <footer class="article-footer">
    ${a.tags.length ? html`<ul class="tags" aria-label="Tags">${a.tags.map((t) => html`<li><a href="${urls.tag(t.slug)}" rel="tag">${t.name}</a></li>`)}</ul>` : ''}
    ${a.authorsFull.map(
      (au) => html`<div class="author-box">
      ${au.photo ? html`<div class="author-photo">${picture(au.photo, '5rem')}</div>` : ''}
      <p><a href="${urls.author(au.slug)}">${au.name}</a>${au.role ? html`, ${au.role}` : ''}. ${au.bio}</p>
    </div>`,
    )}
  </footer>
  ${ctx.slots.afterArticle(ctx, a)}
</article>
${
  related.length
    ? html`<aside class="read-more wrap" aria-labelledby="read-more-title">
  <h2 id="read-more-title">Read more</h2>
  <div class="card-grid">${related.map((r) => card(ctx, r, { level: 3 }))}</div>
</aside>`
    : ''
}`;
  return layout(ctx, {
    title: a.headline,
    description: a.standfirst,
    canonicalPath: urls.article(a.slug),
    head: articleHead(ctx, a),
    main,
    lang: a.language,
    ...(a.section ? { currentSection: a.section.slug } : {}),
  });
}
