import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { registerArticleRoutes } from './articles/routes.ts';
import { registerAssets } from './assets.ts';
import type { SiteSlots } from './context.ts';
import { bareErrorPage, errorPage } from './error-page.ts';
import { registerFeedRoutes } from './feeds/routes.ts';
import { registerPrivacyRoute } from './privacy-routes.ts';
import type { PageCache } from './page-cache.ts';
import { SiteRuntime } from './runtime.ts';
import type { ArticlesDeps } from '#articles';
import type { SettingsDeps } from '#settings';

export { emptySlots, type SiteSlots, type SiteContext } from './context.ts';
export { PageCache } from './page-cache.ts';
export { urls, absoluteUrl } from './urls.ts';
export type { SiteRuntime } from './runtime.ts';
export { helmetHeaders, registerSecurityHeaders, setSecurityHeaders } from './security-headers.ts';
export { createNewsletterSlot } from './newsletter/block.ts';
export { LatestEdition } from './newsletter/latest.ts';
export { registerNewsletterRoutes } from './newsletter/routes.ts';
export { registerBounceWebhook } from './newsletter/bounce-webhook.ts';
export { AppealHolder, supportSlots } from './support/appeal.ts';
export { registerSupportRoutes } from './support/routes.ts';

export interface SiteOptions {
  articles: ArticlesDeps;
  settings: SettingsDeps;
  pageCache: PageCache;
  cacheEnabled: boolean;
  slots: SiteSlots;
  mediaDir: string;
}

/** The public site: pages, feeds, media and assets. */
export async function registerSite(app: FastifyInstance, opts: SiteOptions): Promise<SiteRuntime> {
  const { cssHref } = registerAssets(app);
  const site = new SiteRuntime({ ...opts, cssHref });

  await app.register(fastifyStatic, {
    root: opts.mediaDir,
    prefix: '/media/',
    decorateReply: false,
    index: false,
    dotfiles: 'deny',
    // Stored variants never change (each upload gets a new random directory).
    immutable: true,
    maxAge: '365d',
    etag: true,
    lastModified: true,
  });

  registerArticleRoutes(app, site);
  registerFeedRoutes(app, site);
  registerPrivacyRoute(app, site);
  return site;
}

/** Renders an error as a full page of the site, or a bare one if the site cannot load. */
export async function renderErrorPage(site: SiteRuntime | null, status: number, message: string): Promise<string> {
  if (!site) return bareErrorPage(status);
  try {
    return errorPage(await site.context(), status, message);
  } catch {
    return bareErrorPage(status);
  }
}
