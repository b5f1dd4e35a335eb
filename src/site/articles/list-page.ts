import type { ArticleSummary, Author, Page } from '#articles';
import { html, type SafeHtml } from '#lib/html.ts';
import { cardList, pagination, picture } from '../components.ts';
import type { SiteContext } from '../context.ts';
import { layout } from '../layout.ts';

/** Section, tag and author pages share one shape: a header and a paginated list. */
export function listPage(
  ctx: SiteContext,
  opts: {
    title: string;
    kicker: string;
    description?: string;
    intro?: SafeHtml;
    page: Page<ArticleSummary>;
    link: (n: number) => string;
    currentSection?: string;
  },
): string {
  const { page } = opts;
  const main = html`<div class="wrap list-page">
  <header class="list-header">
    <p class="kicker">${opts.kicker}</p>
    <h1>${opts.title}</h1>
    ${opts.intro ?? (opts.description ? html`<p class="list-description">${opts.description}</p>` : '')}
  </header>
  ${page.items.length ? cardList(ctx, page.items, { kicker: !opts.currentSection }) : html`<p>No articles yet.</p>`}
  ${pagination(page, opts.link)}
</div>`;
  return layout(ctx, {
    title: page.page > 1 ? `${opts.title}, page ${page.page}` : opts.title,
    ...(opts.description ? { description: opts.description } : {}),
    canonicalPath: opts.link(page.page),
    main,
    prevPath: page.page > 1 ? opts.link(page.page - 1) : null,
    nextPath: page.page < page.pageCount ? opts.link(page.page + 1) : null,
    ...(opts.currentSection ? { currentSection: opts.currentSection } : {}),
  });
}

export function authorIntro(author: Author): SafeHtml {
  return html`<div class="author-intro">
  ${author.photo ? html`<div class="author-photo">${picture(author.photo, '6rem', { eager: true })}</div>` : ''}
  <div>${author.role ? html`<p class="author-role">${author.role}</p>` : ''}<p>${author.bio}</p></div>
</div>`;
}
