import type { FastifyInstance } from 'fastify';
import type { Edition, EditionSummary } from '#editions';
import * as editions from '#editions';
import { NotFoundError } from '#lib/errors.ts';
import { html, type SafeHtml } from '#lib/html.ts';
import type { SiteContext } from '../context.ts';
import { picture } from '../components.ts';
import { rfc3339, rfc822, rssText, xml, xmlDocument } from '../feeds/xml.ts';
import { formatDate } from '../format.ts';
import { layout } from '../layout.ts';
import { parsePage } from '#http';
import type { SiteRuntime } from '../runtime.ts';
import { absoluteUrl, urls } from '../urls.ts';

export const ARCHIVE_PER_PAGE = 20;
const FEED_SIZE = 20;

export const archiveUrls = {
  archive: (page = 1) => (page > 1 ? `/newsletter/archive?page=${page}` : '/newsletter/archive'),
  edition: (slug: string) => `/newsletter/editions/${slug}`,
  feed: () => '/newsletter/feed.xml',
  sitemap: () => '/newsletter/sitemap.xml',
};

const feedLink = (ctx: SiteContext) =>
  html`<link rel="alternate" type="application/rss+xml" title="${ctx.settings.name} newsletter (RSS)" href="${archiveUrls.feed()}">`;

/** Editor text as paragraphs, escaped; single line breaks kept. */
function paragraphs(text: string): SafeHtml[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => html`<p>${p.split(/\r?\n/).map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</p>`);
}

function sentOn(ctx: SiteContext, e: EditionSummary): SafeHtml {
  const t = e.startedAt ?? e.sentAt;
  return t ? html`<time datetime="${t}">${formatDate(t, ctx.settings.timeZone, ctx.settings.language)}</time>` : html``;
}

function visibleItems(ed: Edition) {
  return ed.items.filter((i) => i.kind === 'heading' || i.article !== null);
}

export function archiveListPage(
  ctx: SiteContext,
  list: { items: EditionSummary[]; total: number },
  page: number,
): string {
  const pageCount = Math.max(1, Math.ceil(list.total / ARCHIVE_PER_PAGE));
  const main = html`<div class="wrap-narrow newsletter-page newsletter-archive">
<h1>Newsletter archive</h1>
<p>Every edition of our weekly newsletter. <a href="/newsletter">Sign up</a> to get the next one by email, or follow the <a href="${archiveUrls.feed()}">RSS feed of editions</a>.</p>
${
  list.items.length === 0
    ? html`<p>No editions have been sent yet. The first one will appear here after it goes out.</p>`
    : html`<ol class="edition-list">${list.items.map((e) => html`<li><h2><a href="${archiveUrls.edition(e.slug ?? '')}">${e.subject}</a></h2><p>${sentOn(ctx, e)}${e.preheader ? html` · ${e.preheader}` : ''}</p></li>`)}</ol>`
}
${
  pageCount > 1
    ? html`<nav class="pagination" aria-label="Pages">${page > 1 ? html`<a rel="prev" href="${archiveUrls.archive(page - 1)}">Newer editions</a> ` : ''}<span>Page ${page} of ${pageCount}</span>${page < pageCount ? html` <a rel="next" href="${archiveUrls.archive(page + 1)}">Older editions</a>` : ''}</nav>`
    : ''
}
</div>`;
  return layout(withoutSignup(ctx), {
    title: page > 1 ? `Newsletter archive, page ${page}` : 'Newsletter archive',
    canonicalPath: archiveUrls.archive(page),
    main,
    head: feedLink(ctx),
    ...(page > 1 ? { prevPath: archiveUrls.archive(page - 1) } : {}),
    ...(page < pageCount ? { nextPath: archiveUrls.archive(page + 1) } : {}),
  });
}

/**
 * The body of an edition's web page: what the email says, without anyone's personal links.
 * Under the page's h1, stories are h2 until the editors' first section heading (h2), then h3,
 * so no level is skipped.
 */
export function editionBody(ctx: SiteContext, ed: Edition): SafeHtml {
  let underHeading = false;
  return html`${paragraphs(ed.intro)}
${visibleItems(ed).map((i) => {
  if (i.kind === 'heading') {
    underHeading = true;
    return html`<h2 class="edition-heading">${i.heading}</h2>`;
  }
  if (!i.article) return '';
  const link = html`<a href="${urls.article(i.article.slug)}">${i.article.headline}</a>`;
  return html`<article class="edition-item">
  ${i.article.lead ? html`<a href="${urls.article(i.article.slug)}" tabindex="-1" aria-hidden="true">${picture(i.article.lead, '(min-width: 40rem) 36rem, 100vw')}</a>` : ''}
  ${underHeading ? html`<h3>${link}</h3>` : html`<h2>${link}</h2>`}
  ${i.blurb.trim() ? paragraphs(i.blurb) : i.article.standfirst ? html`<p>${i.article.standfirst}</p>` : ''}
</article>`;
})}
${paragraphs(ed.signOff)}`;
}

export function editionPage(ctx: SiteContext, ed: Edition): string {
  const main = html`<div class="wrap-narrow newsletter-page newsletter-edition">
<p class="kicker"><a href="${archiveUrls.archive()}">Newsletter archive</a></p>
<h1>${ed.subject}</h1>
<p class="edition-meta">${sentOn(ctx, ed)}</p>
${editionBody(ctx, ed)}
<p class="edition-signup"><a href="/newsletter">Get the newsletter by email every Friday</a></p>
</div>`;
  return layout(withoutSignup(ctx), {
    title: ed.subject,
    canonicalPath: archiveUrls.edition(ed.slug ?? ''),
    main,
    head: feedLink(ctx),
    ...(ed.preheader ? { description: ed.preheader } : {}),
  });
}

/** RSS 2.0 of the latest editions, each with its full content. */
export function editionFeed(ctx: SiteContext, items: Edition[]): string {
  const s = ctx.settings;
  const newest = items[0]?.startedAt ?? new Date(0).toISOString();
  return xmlDocument(xml`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>${rssText(`${s.name} newsletter`)}</title>
    <link>${absoluteUrl(s.baseUrl, archiveUrls.archive())}</link>
    <description>${rssText(s.newsletterDescription || `Editions of the ${s.name} newsletter`)}</description>
    <language>${s.language}</language>
    <lastBuildDate>${rfc822(newest)}</lastBuildDate>
    <atom:link href="${absoluteUrl(s.baseUrl, archiveUrls.feed())}" rel="self" type="application/rss+xml"/>${items.map(
      (ed) => {
        const url = absoluteUrl(s.baseUrl, archiveUrls.edition(ed.slug ?? ''));
        return xml`
    <item>
      <title>${rssText(ed.subject)}</title>
      <link>${url}</link>
      <guid isPermaLink="true">${url}</guid>
      ${ed.startedAt ? xml`<pubDate>${rfc822(ed.startedAt)}</pubDate>` : ''}
      ${ed.preheader ? xml`<description>${rssText(ed.preheader)}</description>` : ''}
      <content:encoded>${absoluteLinks(editionBody(ctx, ed).value, s.baseUrl)}</content:encoded>
    </item>`;
      },
    )}
  </channel>
</rss>`);
}

/** Root-relative links and images made absolute, for feed readers that show content elsewhere. */
function absoluteLinks(markup: string, baseUrl: string): string {
  return markup.replace(/(href|src|srcset)="\//g, `$1="${baseUrl}/`).replace(/, \/media\//g, `, ${baseUrl}/media/`);
}

function withoutSignup(ctx: SiteContext): SiteContext {
  return { ...ctx, slots: { ...ctx.slots, newsletter: () => null } };
}

/** The public archive: the list, each edition's page and the RSS feed, all through the page cache. */
export function registerArchiveRoutes(app: FastifyInstance, site: SiteRuntime): void {
  const deps = app.masthead.editions;

  app.get<{ Querystring: { page?: string } }>('/newsletter/archive', async (request, reply) => {
    const page = parsePage(request.query.page);
    return site.serve(request, reply, `newsletter:archive:${page}`, async (ctx) => {
      const list = await editions.listPublicEditions(deps, page, ARCHIVE_PER_PAGE);
      if (page > 1 && list.items.length === 0)
        throw new NotFoundError('EDITIONS_NO_PAGE', 'The archive has fewer pages.');
      return { body: archiveListPage(ctx, list, page), lastModified: list.items[0]?.updatedAt ?? null };
    });
  });

  app.get<{ Params: { slug: string } }>('/newsletter/editions/:slug', async (request, reply) => {
    const slug = request.params.slug;
    // An unknown slug throws inside the render, so it never takes a cache entry.
    return site.serve(request, reply, `newsletter:edition:${slug}`, async (ctx) => {
      const ed = await editions.getPublicEdition(deps, slug);
      return { body: editionPage(ctx, ed), lastModified: ed.updatedAt };
    });
  });

  // A sitemap of its own (listed in robots.txt), so the articles' sitemap needs no newsletter knowledge.
  app.get(archiveUrls.sitemap(), async (request, reply) =>
    site.serve(request, reply, 'newsletter:sitemap', async (ctx) => {
      const list = await editions.listPublicEditions(deps, 1, 50_000);
      const base = ctx.settings.baseUrl;
      const body = xmlDocument(xml`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>${absoluteUrl(base, archiveUrls.archive())}</loc>${list.items[0] ? xml`<lastmod>${rfc3339(list.items[0].updatedAt)}</lastmod>` : ''}</url>${list.items.map(
    (e) => xml`
  <url><loc>${absoluteUrl(base, archiveUrls.edition(e.slug ?? ''))}</loc><lastmod>${rfc3339(e.updatedAt)}</lastmod></url>`,
  )}
</urlset>`);
      return { body, contentType: 'application/xml; charset=utf-8', lastModified: list.items[0]?.updatedAt ?? null };
    }),
  );

  app.get(archiveUrls.feed(), async (request, reply) =>
    site.serve(request, reply, 'newsletter:feed', async (ctx) => {
      const list = await editions.listPublicEditions(deps, 1, FEED_SIZE);
      const full = await Promise.all(list.items.map((e) => editions.getPublicEdition(deps, e.slug ?? '')));
      return {
        body: editionFeed(ctx, full),
        contentType: 'application/rss+xml; charset=utf-8',
        lastModified: full[0]?.updatedAt ?? null,
      };
    }),
  );
}
