import type { FastifyInstance } from 'fastify';
import { getSection } from '#articles';
import { NotFoundError } from '#lib/errors.ts';
import { isSlug } from '#lib/slug.ts';
import type { SiteContext } from '../context.ts';
import type { SiteRuntime } from '../runtime.ts';
import { urls } from '../urls.ts';
import { ATOM_CONTENT_TYPE, renderAtom } from './atom.ts';
import { loadFeed, type FeedModel } from './feed-model.ts';
import { JSON_FEED_CONTENT_TYPE, renderJsonFeed } from './json-feed.ts';
import { renderRss, RSS_CONTENT_TYPE } from './rss.ts';
import { newsSitemap, sitemap, SITEMAP_CONTENT_TYPE } from './sitemap.ts';
import { latest } from './xml.ts';

/**
 * The news sitemap depends on the time as well as the content: articles leave it 48 hours
 * after publication with nothing changing. Its cache key therefore names a time slot, so a
 * cached copy is at most this old.
 */
const NEWS_SLOT_MS = 5 * 60 * 1000;

/** Feeds, sitemaps and robots.txt. */
export function registerFeedRoutes(app: FastifyInstance, site: SiteRuntime): void {
  const deps = site.deps.articles;

  app.get('/robots.txt', async (request, reply) =>
    site.serve(request, reply, 'robots', async (ctx) => ({
      body: `User-agent: *\nDisallow: /search\nDisallow: /newsroom\n\nSitemap: ${ctx.settings.baseUrl}/sitemap.xml\nSitemap: ${ctx.settings.baseUrl}/sitemap-news.xml\nSitemap: ${ctx.settings.baseUrl}/newsletter/sitemap.xml\n`,
      contentType: 'text/plain; charset=utf-8',
      lastModified: null,
    })),
  );

  const feeds: { path: string; key: string; contentType: string; render: (feed: FeedModel) => string }[] = [
    { path: urls.rss(), key: 'feed:rss', contentType: RSS_CONTENT_TYPE, render: renderRss },
    { path: urls.atom(), key: 'feed:atom', contentType: ATOM_CONTENT_TYPE, render: renderAtom },
    { path: urls.jsonFeed(), key: 'feed:json', contentType: JSON_FEED_CONTENT_TYPE, render: renderJsonFeed },
  ];
  for (const f of feeds) {
    app.get(f.path, async (request, reply) =>
      site.serve(request, reply, f.key, async (ctx: SiteContext) => {
        const feed = await loadFeed(deps, ctx, f.path);
        return { body: f.render(feed), contentType: f.contentType, lastModified: feed.lastModified };
      }),
    );
  }

  app.get<{ Params: { slug: string } }>('/section/:slug/feed.xml', async (request, reply) => {
    const slug = request.params.slug;
    if (!isSlug(slug)) throw new NotFoundError('SITE_NOT_FOUND', 'There is no page at this address.');
    return site.serve(request, reply, `feed:rss:section:${slug}`, async (ctx) => {
      const section = await getSection(deps, slug);
      const feed = await loadFeed(deps, ctx, `${urls.section(slug)}/feed.xml`, section);
      return { body: renderRss(feed), contentType: RSS_CONTENT_TYPE, lastModified: feed.lastModified };
    });
  });

  app.get(urls.sitemap(), async (request, reply) =>
    site.serve(request, reply, 'sitemap', async (ctx) => ({
      ...(await sitemap(deps, ctx)),
      contentType: SITEMAP_CONTENT_TYPE,
    })),
  );

  app.get(urls.newsSitemap(), async (request, reply) => {
    const now = deps.clock.now();
    const slot = Math.floor(now.getTime() / NEWS_SLOT_MS);
    return site.serve(request, reply, `sitemap-news:${slot}`, async (ctx) => {
      const r = await newsSitemap(deps, ctx, now);
      // Crawlers revalidate with If-Modified-Since alone: the date must move when articles age out.
      return {
        body: r.body,
        contentType: SITEMAP_CONTENT_TYPE,
        lastModified: latest([r.lastModified, new Date(slot * NEWS_SLOT_MS).toISOString()]),
      };
    });
  });
}
