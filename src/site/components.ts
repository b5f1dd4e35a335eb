import type { ArticleSummary, AuthorRef, Image, Page } from '#articles';
import { html, type SafeHtml } from '#lib/html.ts';
import type { SiteContext } from './context.ts';
import { formatDate } from './format.ts';
import { urls } from './urls.ts';

/** A responsive <picture>: WebP with a JPEG fallback, sized so the layout does not jump. */
export function picture(img: Image, sizes: string, opts: { eager?: boolean } = {}): SafeHtml {
  const webp = img.variants.filter((v) => v.format === 'webp');
  const jpeg = img.variants.filter((v) => v.format === 'jpeg');
  const srcset = (list: typeof webp) => list.map((v) => `${urls.media(v.file)} ${v.width}w`).join(', ');
  const fallback = jpeg.find((v) => v.width >= 960) ?? jpeg[jpeg.length - 1];
  if (!fallback) return html``;
  return html`<picture>${webp.length ? html`<source type="image/webp" srcset="${srcset(webp)}" sizes="${sizes}">` : ''}<img src="${urls.media(fallback.file)}" srcset="${srcset(jpeg)}" sizes="${sizes}" width="${fallback.width}" height="${fallback.height}" alt="${img.alt}"${opts.eager ? html` fetchpriority="high"` : html` loading="lazy" decoding="async"`}></picture>`;
}

export function byline(authors: AuthorRef[]): SafeHtml {
  if (authors.length === 0) return html``;
  const links = authors.map((a) => html`<a href="${urls.author(a.slug)}" rel="author">${a.name}</a>`);
  const joined: SafeHtml[] = [];
  links.forEach((l, i) => {
    if (i > 0) joined.push(i === links.length - 1 ? html` and ` : html`, `);
    joined.push(l);
  });
  return html`<span class="byline">By ${joined}</span>`;
}

export function dateline(ctx: SiteContext, iso: string | null, withTime = false): SafeHtml {
  if (!iso) return html``;
  return html`<time datetime="${iso}">${formatDate(iso, ctx.settings.timeZone, ctx.settings.language, withTime)}</time>`;
}

/** An article teaser; `level` keeps the heading outline right wherever it sits. */
export function card(
  ctx: SiteContext,
  a: ArticleSummary,
  opts: { level?: 2 | 3; image?: boolean; large?: boolean; eager?: boolean; kicker?: boolean } = {},
): SafeHtml {
  const level = opts.level ?? 3;
  const headline = html`<a href="${urls.article(a.slug)}">${a.headline}</a>`;
  return html`<article class="card${opts.large ? ' card-large' : ''}">
  ${opts.image !== false && a.lead ? html`<div class="card-image">${picture(a.lead, opts.large ? '(min-width: 60rem) 40rem, 100vw' : '(min-width: 60rem) 20rem, 100vw', { eager: opts.eager ?? false })}</div>` : ''}
  <div class="card-body">
    ${a.section && opts.kicker !== false ? html`<p class="kicker"><a href="${urls.section(a.section.slug)}">${a.section.name}</a></p>` : ''}
    ${level === 2 ? html`<h2 class="card-title">${headline}</h2>` : html`<h3 class="card-title">${headline}</h3>`}
    ${a.standfirst ? html`<p class="card-standfirst">${a.standfirst}</p>` : ''}
    <p class="meta">${byline(a.authors)} ${dateline(ctx, a.publishedAt)}</p>
  </div>
</article>`;
}

export function pagination(page: Page<unknown>, link: (n: number) => string): SafeHtml {
  if (page.pageCount <= 1) return html``;
  return html`<nav class="pagination" aria-label="Pages">
  ${page.page > 1 ? html`<a rel="prev" href="${link(page.page - 1)}">← Newer</a>` : ''}
  <span>Page ${page.page} of ${page.pageCount}</span>
  ${page.page < page.pageCount ? html`<a rel="next" href="${link(page.page + 1)}">Older →</a>` : ''}
</nav>`;
}

export function cardList(
  ctx: SiteContext,
  items: ArticleSummary[],
  opts: { level?: 2 | 3; kicker?: boolean } = {},
): SafeHtml {
  return html`<div class="card-list">${items.map((a) => card(ctx, a, { level: opts.level ?? 2, kicker: opts.kicker ?? true }))}</div>`;
}
