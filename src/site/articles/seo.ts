import type { Article, Image } from '#articles';
import { html, jsonForScript, type SafeHtml } from '#lib/html.ts';
import type { SiteContext } from '../context.ts';
import { absoluteUrl, urls } from '../urls.ts';

/** The largest JPEG variant, for social cards and structured data. */
export function shareImage(base: string, img: Image | null): { url: string; width: number; height: number } | null {
  if (!img) return null;
  const jpeg = img.variants.filter((v) => v.format === 'jpeg').sort((a, b) => b.width - a.width)[0];
  return jpeg ? { url: absoluteUrl(base, urls.media(jpeg.file)), width: jpeg.width, height: jpeg.height } : null;
}

/** OpenGraph, Twitter card and schema.org NewsArticle for an article page. */
export function articleHead(ctx: SiteContext, a: Article): SafeHtml {
  const base = ctx.settings.baseUrl;
  const url = absoluteUrl(base, urls.article(a.slug));
  const image = shareImage(base, a.lead);
  const modified = a.updatedAt ?? a.publishedAt;
  const ld = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    headline: a.headline.slice(0, 110),
    description: a.standfirst || undefined,
    image: image ? [image.url] : undefined,
    datePublished: a.publishedAt ?? undefined,
    dateModified: modified ?? undefined,
    inLanguage: a.language,
    articleSection: a.section?.name,
    keywords: a.tags.map((t) => t.name),
    author: a.authors.map((au) => ({ '@type': 'Person', name: au.name, url: absoluteUrl(base, urls.author(au.slug)) })),
    publisher: { '@type': 'Organization', name: ctx.settings.name, url: base },
  };
  return html`<meta property="og:type" content="article">
<meta property="og:site_name" content="${ctx.settings.name}">
<meta property="og:title" content="${a.headline}">
${a.standfirst ? html`<meta property="og:description" content="${a.standfirst}">` : ''}
<meta property="og:url" content="${url}">
<meta property="og:locale" content="${a.language.replace('-', '_')}">
${image ? html`<meta property="og:image" content="${image.url}"><meta property="og:image:width" content="${image.width}"><meta property="og:image:height" content="${image.height}">${a.lead?.alt ? html`<meta property="og:image:alt" content="${a.lead.alt}">` : ''}` : ''}
${a.publishedAt ? html`<meta property="article:published_time" content="${a.publishedAt}">` : ''}
${modified ? html`<meta property="article:modified_time" content="${modified}">` : ''}
${a.section ? html`<meta property="article:section" content="${a.section.name}">` : ''}
${a.tags.map((t) => html`<meta property="article:tag" content="${t.name}">`)}
<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
<meta name="twitter:title" content="${a.headline}">
${a.standfirst ? html`<meta name="twitter:description" content="${a.standfirst}">` : ''}
${image ? html`<meta name="twitter:image" content="${image.url}">` : ''}
<script type="application/ld+json">${jsonForScript(ld)}</script>`;
}
