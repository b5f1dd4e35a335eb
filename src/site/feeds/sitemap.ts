import { getContentState, listForSitemap, listPublishedBetween, listSitemapGroups, type ArticlesDeps } from '#articles';
import type { SiteContext } from '../context.ts';
import { absoluteUrl, urls } from '../urls.ts';
import { latest, rfc3339, xml, xmlDocument } from './xml.ts';

export const SITEMAP_CONTENT_TYPE = 'application/xml; charset=utf-8';

/** The protocol's limit per file; past it the site needs a sitemap index. */
export const SITEMAP_MAX_URLS = 50_000;
/** Google News: articles from the last two days, at most 1,000 per sitemap. */
export const NEWS_WINDOW_MS = 48 * 60 * 60 * 1000;
export const NEWS_MAX_URLS = 1000;

interface Entry {
  loc: string;
  lastmod: string | null;
}

function urlset(entries: Entry[]): string {
  return xmlDocument(xml`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${entries.map(
    (e) => xml`
  <url><loc>${e.loc}</loc>${e.lastmod ? xml`<lastmod>${rfc3339(e.lastmod)}</lastmod>` : ''}</url>`,
  )}
</urlset>`);
}

/** Home, every section, the tags and authors with published articles, and every published article. */
export async function sitemap(deps: ArticlesDeps, ctx: SiteContext): Promise<{ body: string; lastModified: string }> {
  const base = ctx.settings.baseUrl;
  const [groups, state] = await Promise.all([listSitemapGroups(deps), getContentState(deps)]);
  const sectionLastmod = new Map(groups.sections.map((s) => [s.slug, s.lastmod]));
  const listings: Entry[] = [
    ...ctx.sections.map((s) => ({
      loc: absoluteUrl(base, urls.section(s.slug)),
      lastmod: sectionLastmod.get(s.slug) ?? null,
    })),
    ...groups.authors.map((a) => ({ loc: absoluteUrl(base, urls.author(a.slug)), lastmod: a.lastmod })),
    ...groups.tags.map((t) => ({ loc: absoluteUrl(base, urls.tag(t.slug)), lastmod: t.lastmod })),
  ];
  const articles = await listForSitemap(deps, Math.max(0, SITEMAP_MAX_URLS - 1 - listings.length));
  const entries: Entry[] = [
    // The home page shows the newest articles, those without a section too.
    { loc: absoluteUrl(base, urls.home()), lastmod: latest(articles.map((a) => a.modified_at)) },
    ...listings,
    ...articles.map((a) => ({ loc: absoluteUrl(base, urls.article(a.slug)), lastmod: a.modified_at })),
  ];
  return { body: urlset(entries), lastModified: state.changedAt };
}

/**
 * Google News wants ISO 639 codes, two or three letters, except zh-cn and zh-tw for
 * Chinese; our language tags are BCP 47.
 */
export function newsLanguage(tag: string): string {
  const lower = tag.toLowerCase();
  if (lower === 'zh-tw' || lower === 'zh-hant' || lower.startsWith('zh-hant-') || lower === 'zh-hk') return 'zh-tw';
  if (lower.startsWith('zh')) return 'zh-cn';
  return lower.split('-')[0] ?? lower;
}

/** Articles published in the 48 hours up to `now` (nothing scheduled after it). */
export async function newsSitemap(
  deps: ArticlesDeps,
  ctx: SiteContext,
  now: Date,
): Promise<{ body: string; lastModified: string }> {
  const base = ctx.settings.baseUrl;
  const [items, state] = await Promise.all([
    listPublishedBetween(deps, new Date(now.getTime() - NEWS_WINDOW_MS), now, NEWS_MAX_URLS),
    getContentState(deps),
  ]);
  const body =
    xmlDocument(xml`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">${items.map(
      (a) => xml`
  <url>
    <loc>${absoluteUrl(base, urls.article(a.slug))}</loc>
    <news:news>
      <news:publication><news:name>${ctx.settings.name}</news:name><news:language>${newsLanguage(a.language)}</news:language></news:publication>
      <news:publication_date>${rfc3339(a.published_at)}</news:publication_date>
      <news:title>${a.headline}</news:title>
    </news:news>
  </url>`,
    )}
</urlset>`);
  return { body, lastModified: state.changedAt };
}
