import { html } from '#lib/html.ts';
import type { SiteContext } from './context.ts';
import { layout } from './layout.ts';

const TITLES: Record<number, string> = {
  400: 'That request did not make sense',
  404: 'Page not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  413: 'Too large',
  414: 'Address too long',
  415: 'Unsupported type',
  429: 'Too many requests',
  500: 'Something went wrong',
  503: 'Temporarily unavailable',
};

/** A full page for an error; 5xx pages never include detail. */
export function errorPage(ctx: SiteContext, status: number, message: string): string {
  const title = TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Request not accepted');
  const main = html`<div class="wrap-narrow error-page">
  <p class="kicker">Error ${status}</p>
  <h1>${title}</h1>
  <p>${status >= 500 ? 'We could not show this page just now. Please try again in a moment.' : message}</p>
  <p><a href="/">Go to the front page</a> or <a href="/search">search the archive</a>.</p>
</div>`;
  return layout(ctx, { title, canonicalPath: '/', main, noindex: true });
}

/** Used when even the site context could not be loaded (database down). */
export function bareErrorPage(status: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Error ${status}</title></head><body><main><h1>${status >= 500 ? 'Something went wrong' : `Error ${status}`}</h1><p>Please try again in a moment.</p></main></body></html>`;
}
