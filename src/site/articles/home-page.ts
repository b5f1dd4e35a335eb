import type { ArticleSummary, Page, Section } from '#articles';
import { html } from '#lib/html.ts';
import { card, cardList, pagination } from '../components.ts';
import type { SiteContext } from '../context.ts';
import { layout } from '../layout.ts';
import { urls } from '../urls.ts';

export interface HomeData {
  latest: Page<ArticleSummary>;
  bySection: { section: Section; items: ArticleSummary[] }[];
}

export function homePage(ctx: SiteContext, data: HomeData): string {
  const s = ctx.settings;
  const [lead, ...rest] = data.latest.items;
  const main = html`<h1 class="visually-hidden">${s.name}</h1>
<div class="wrap home">
  ${lead ? html`<section class="lead-story" aria-label="Top story">${card(ctx, lead, { level: 2, large: true, eager: true })}</section>` : html`<p>Nothing has been published yet.</p>`}
  ${
    rest.length
      ? html`<section class="latest" aria-labelledby="latest-title">
    <h2 id="latest-title" class="section-title">Latest</h2>
    <div class="card-grid">${rest.map((a) => card(ctx, a, { level: 3 }))}</div>
  </section>`
      : ''
  }
  ${data.bySection
    .filter((b) => b.items.length > 0)
    .map(
      (b) => html`<section class="home-section" aria-labelledby="sec-${b.section.slug}">
    <h2 id="sec-${b.section.slug}" class="section-title"><a href="${urls.section(b.section.slug)}">${b.section.name}</a></h2>
    <div class="card-grid">${b.items.map((a) => card(ctx, a, { level: 3, image: false, kicker: false }))}</div>
  </section>`,
    )}
  ${pagination(data.latest, urls.home)}
</div>`;
  return layout(ctx, {
    title: s.name,
    description: s.description || s.tagline,
    canonicalPath: '/',
    main,
    nextPath: data.latest.pageCount > 1 ? urls.home(2) : null,
  });
}

/** Page 2 onwards of the home page: simply older articles. */
export function latestPage(ctx: SiteContext, page: Page<ArticleSummary>): string {
  const main = html`<div class="wrap list-page">
  <header class="list-header"><h1>Latest stories</h1><p>Page ${page.page} of ${page.pageCount}</p></header>
  ${cardList(ctx, page.items)}
  ${pagination(page, urls.home)}
</div>`;
  return layout(ctx, {
    title: `Latest stories, page ${page.page}`,
    canonicalPath: urls.home(page.page),
    main,
    prevPath: urls.home(page.page - 1),
    nextPath: page.page < page.pageCount ? urls.home(page.page + 1) : null,
  });
}
