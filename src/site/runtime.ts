import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ArticlesDeps } from '#articles';
import { listSections } from '#articles';
import { getCurrentPrivacyPolicy, getSettings, type SettingsDeps } from '#settings';
import type { SiteContext, SiteSlots } from './context.ts';
import { gzipOf, makePage, type CachedPage, type PageCache } from './page-cache.ts';

export interface SiteDeps {
  articles: ArticlesDeps;
  settings: SettingsDeps;
  pageCache: PageCache;
  cacheEnabled: boolean;
  slots: SiteSlots;
  cssHref: string;
}

export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=600, stale-if-error=86400';

/** Shared machinery of public pages: the per-version context and the rendered-page cache. */
export class SiteRuntime {
  readonly deps: SiteDeps;
  private ctx: { generation: number; year: number; value: Promise<SiteContext> } | null = null;

  constructor(deps: SiteDeps) {
    this.deps = deps;
  }

  /**
   * Settings and sections, loaded once per content version whether or not rendered pages
   * are cached: every change to them goes through the change feed, which moves the page
   * cache to a new generation (also with the cache disabled), so the next call reloads.
   */
  context(): Promise<SiteContext> {
    const gen = this.deps.pageCache.generation;
    const year = this.deps.articles.clock.now().getUTCFullYear();
    if (!this.ctx || this.ctx.generation !== gen || this.ctx.year !== year) {
      const value = Promise.all([
        getSettings(this.deps.settings),
        listSections(this.deps.articles),
        getCurrentPrivacyPolicy(this.deps.settings),
      ]).then(([settings, sections, policy]) => ({
        settings,
        sections,
        hasPrivacyPolicy: policy !== null,
        cssHref: this.deps.cssHref,
        slots: this.deps.slots,
        year,
      }));
      // A failed load must not stick: the next request tries again.
      value.catch(() => {
        if (this.ctx?.value === value) this.ctx = null;
      });
      this.ctx = { generation: gen, year, value };
    }
    return this.ctx.value;
  }

  /**
   * Answers from the page cache, or renders, stores and answers. Handles conditional
   * requests (ETag / Last-Modified) and gzip for both paths.
   */
  async serve(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    render: (
      ctx: SiteContext,
    ) => Promise<{ body: string; contentType?: string; lastModified: string | Date | null; cacheControl?: string }>,
  ): Promise<FastifyReply> {
    const cache = this.deps.pageCache;
    const slots = this.deps.slots;
    const variant = slots.variant ? slots.variant(request.headers.cookie, this.deps.articles.clock.now()) : '';
    const fullKey = variant ? `${key}|${variant}` : key;
    let page: CachedPage | undefined = this.deps.cacheEnabled ? cache.get(fullKey) : undefined;
    if (!page) {
      const generation = cache.generation;
      const ctx = await this.context();
      const r = await render(slots.variant ? { ...ctx, variant, path: request.url.split('?')[0] ?? '/' } : ctx);
      page = makePage(r.body, {
        contentType: r.contentType ?? 'text/html; charset=utf-8',
        lastModified: r.lastModified ? new Date(r.lastModified) : new Date(0),
        // A variant chosen by a reader's cookie is theirs: shared caches keep only the default.
        cacheControl: variant ? 'private, max-age=60' : (r.cacheControl ?? PUBLIC_CACHE_CONTROL),
      });
      if (this.deps.cacheEnabled) cache.set(fullKey, page, generation);
    }
    // Pages with cookie-chosen variants vary by Cookie: a browser that just got the "given"
    // cookie must not reuse its cached copy with the appeal. Readers who never interacted
    // send no Cookie at all, so shared caches still hold one copy for nearly everyone.
    return sendPage(request, reply, page, slots.variant ? 'Accept-Encoding, Cookie' : 'Accept-Encoding');
  }
}

export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: CachedPage,
  vary = 'Accept-Encoding',
): FastifyReply {
  reply
    .header('cache-control', page.cacheControl)
    .header('etag', page.etag)
    .header('last-modified', page.lastModified)
    .header('vary', vary);
  const inm = request.headers['if-none-match'];
  if (
    inm !== undefined
      ? inm.split(',').some((t) => t.trim().replace(/^W\//, '') === page.etag)
      : request.headers['if-modified-since'] === page.lastModified
  ) {
    return reply.code(304).send();
  }
  reply.code(page.status).type(page.contentType);
  const ae = request.headers['accept-encoding'];
  if (typeof ae === 'string' && ae.includes('gzip')) {
    const gzip = gzipOf(page);
    if (gzip) return reply.header('content-encoding', 'gzip').send(gzip);
  }
  return reply.send(page.body);
}
