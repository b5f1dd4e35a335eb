import type { Section } from '#articles';
import type { SafeHtml } from '#lib/html.ts';
import type { Settings } from '#settings';
import type { ArticleSummary } from '#articles';

/**
 * Places other features fill on public pages (support banner and appeal, newsletter
 * block). Each returns markup or nothing; the reading site itself does not know them.
 */
export interface SiteSlots {
  banner(ctx: SiteContext): SafeHtml | null;
  afterArticle(ctx: SiteContext, article: ArticleSummary): SafeHtml | null;
  newsletter(ctx: SiteContext): SafeHtml | null;
  /**
   * Which variant of a cached page this request gets, from its cookies ('' for the default).
   * The page cache keys on it, so a few fixed variants stay cacheable without tracking anyone.
   */
  variant?(cookieHeader: string | undefined, now: Date): string;
}

export const emptySlots: SiteSlots = {
  banner: () => null,
  afterArticle: () => null,
  newsletter: () => null,
};

/** What every public page needs, loaded once per content version. */
export interface SiteContext {
  settings: Settings;
  sections: Section[];
  /** Whether a privacy policy is published: nothing links to /privacy while it would be a 404. */
  hasPrivacyPolicy: boolean;
  cssHref: string;
  slots: SiteSlots;
  year: number;
  /** The request's variant (see SiteSlots.variant) and path; set per render, not per content version. */
  variant?: string;
  path?: string;
}
