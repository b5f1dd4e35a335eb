import type { ArticleSummary, Page } from '#articles';
import { html } from '#lib/html.ts';
import { cardList, pagination } from '../components.ts';
import type { SiteContext } from '../context.ts';
import { layout } from '../layout.ts';
import { urls } from '../urls.ts';

export function searchPage(
  ctx: SiteContext,
  query: string,
  results: Page<ArticleSummary> | null,
  error?: string,
): string {
  const main = html`<div class="wrap list-page">
  <header class="list-header">
    <h1>Search</h1>
    <form class="search-form" role="search" action="/search" method="get">
      <label for="q">Search articles</label>
      <div class="search-row">
        <input id="q" name="q" type="search" value="${query}" maxlength="200"${error ? html` aria-invalid="true" aria-describedby="q-error"` : ''}>
        <button type="submit">Search</button>
      </div>
      ${error ? html`<p id="q-error" class="field-error" role="alert">${error}</p>` : ''}
    </form>
  </header>
  ${
    results
      ? html`<p class="result-count" role="status">${results.total === 0 ? html`No articles match “${query}”.` : html`${results.total} ${results.total === 1 ? 'article matches' : 'articles match'} “${query}”.`}</p>
  ${cardList(ctx, results.items)}
  ${pagination(results, (n) => urls.search(query, n))}`
      : ''
  }
</div>`;
  return layout(ctx, { title: query ? `Search: ${query}` : 'Search', canonicalPath: '/search', main, noindex: true });
}
