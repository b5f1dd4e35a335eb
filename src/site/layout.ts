import { html, type SafeHtml } from '#lib/html.ts';
import { SOCIAL_NETWORKS, type SocialNetwork } from '#settings';
import type { SiteContext } from './context.ts';
import { absoluteUrl, urls } from './urls.ts';

export interface PageShell {
  title: string;
  description?: string;
  /** Path of the canonical URL; made absolute with the publication's base URL. */
  canonicalPath: string;
  head?: SafeHtml;
  main: SafeHtml;
  lang?: string;
  noindex?: boolean;
  prevPath?: string | null;
  nextPath?: string | null;
  /** Section slug for aria-current in the navigation. */
  currentSection?: string;
}

const SOCIAL_LABELS: Record<SocialNetwork, string> = {
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  telegram: 'Telegram',
  x: 'X',
  facebook: 'Facebook',
  instagram: 'Instagram',
  youtube: 'YouTube',
};

function socialLinks(s: SiteContext['settings']): SafeHtml {
  const links = SOCIAL_NETWORKS.flatMap((n) => {
    const href = s.social[n];
    return href ? [html`<li><a href="${href}" rel="me noopener">${SOCIAL_LABELS[n]}</a></li>`] : [];
  });
  return links.length ? html`<ul class="footer-links" aria-label="Elsewhere">${links}</ul>` : html``;
}

/** The document every public page shares: landmarks, navigation, search, footer. */
export function layout(ctx: SiteContext, page: PageShell): string {
  const s = ctx.settings;
  const base = s.baseUrl;
  const fullTitle = page.title === s.name ? s.name : `${page.title} – ${s.name}`;
  return `<!doctype html>\n${html`<html lang="${page.lang ?? s.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${fullTitle}</title>
${page.description ? html`<meta name="description" content="${page.description}">` : ''}
<link rel="canonical" href="${absoluteUrl(base, page.canonicalPath)}">
${page.prevPath ? html`<link rel="prev" href="${page.prevPath}">` : ''}
${page.nextPath ? html`<link rel="next" href="${page.nextPath}">` : ''}
${page.noindex ? html`<meta name="robots" content="noindex">` : ''}
<link rel="stylesheet" href="${ctx.cssHref}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="alternate" type="application/rss+xml" title="${s.name} (RSS)" href="${urls.rss()}">
<link rel="alternate" type="application/atom+xml" title="${s.name} (Atom)" href="${urls.atom()}">
<link rel="alternate" type="application/feed+json" title="${s.name} (JSON Feed)" href="${urls.jsonFeed()}">
${page.head ?? ''}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
${ctx.slots.banner(ctx)}
  <div class="wrap masthead">
    <a class="brand" href="/">${s.logo ? html`<img class="logo" src="${urls.media(s.logo.file)}" width="${s.logo.width}" height="${s.logo.height}" alt="${s.name}">` : s.name}</a>
    ${s.tagline ? html`<p class="tagline">${s.tagline}</p>` : ''}
  </div>
  <nav class="site-nav" aria-label="Sections">
    <ul class="wrap">
      <li><a href="/"${page.canonicalPath === '/' && !page.noindex ? html` aria-current="page"` : ''}>Home</a></li>
      ${ctx.sections.map(
        (sec) =>
          html`<li><a href="${urls.section(sec.slug)}"${page.currentSection === sec.slug ? html` aria-current="page"` : ''}>${sec.name}</a></li>`,
      )}
      <li class="nav-search"><a href="/search">Search</a></li>
    </ul>
  </nav>
</header>
<main id="main" tabindex="-1">
${page.main}
</main>
${ctx.slots.newsletter(ctx)}
<footer class="site-footer">
  <div class="wrap">
    <p class="footer-brand">${s.name}${s.tagline ? html` — ${s.tagline}` : ''}</p>
    <ul class="footer-links">
      ${ctx.sections.map((sec) => html`<li><a href="${urls.section(sec.slug)}">${sec.name}</a></li>`)}
    </ul>
    <ul class="footer-links">
      <li><a href="${urls.rss()}">RSS</a></li>
      <li><a href="${urls.atom()}">Atom</a></li>
      <li><a href="${urls.jsonFeed()}">JSON Feed</a></li>
      <li><a href="${urls.sitemap()}">Sitemap</a></li>
      ${ctx.hasPrivacyPolicy ? html`<li><a href="/privacy">Privacy policy</a></li>` : ''}
    </ul>
    ${socialLinks(s)}
    <p class="copyright">© ${ctx.year} ${s.name}. Published with Masthead.</p>
  </div>
</footer>
</body>
</html>`}\n`;
}
