import type { FastifyInstance } from 'fastify';
import type { SiteRuntime } from '../runtime.ts';

/** Feeds, sitemaps and robots.txt. */
export function registerFeedRoutes(app: FastifyInstance, site: SiteRuntime): void {
  app.get('/robots.txt', async (request, reply) =>
    site.serve(request, reply, 'robots', async (ctx) => ({
      body: `User-agent: *\nDisallow: /search\nDisallow: /newsroom\n\nSitemap: ${ctx.settings.baseUrl}/sitemap.xml\nSitemap: ${ctx.settings.baseUrl}/sitemap-news.xml\n`,
      contentType: 'text/plain; charset=utf-8',
      lastModified: null,
    })),
  );
}
