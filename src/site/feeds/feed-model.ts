import {
  getContentState,
  listFeedArticles,
  type ArticlesDeps,
  type FeedArticle,
  type Image,
  type Section,
} from '#articles';
import { escapeHtml } from '#lib/html.ts';
import type { SiteContext } from '../context.ts';
import { absoluteUrl, urls } from '../urls.ts';
import { latest } from './xml.ts';

/** How many articles every feed carries. */
export const FEED_SIZE = 20;

export interface FeedImage {
  url: string;
  width: number;
  height: number;
  bytes: number;
  type: string;
  alt: string;
  caption: string;
  credit: string;
}

export interface FeedItem {
  /** Stable id and permalink: the article's absolute URL. */
  url: string;
  title: string;
  summary: string;
  /** The lead image with its caption and credit, then the stored sanitised body, all links absolute. */
  contentHtml: string;
  published: string | null;
  updated: string | null;
  language: string;
  authors: { name: string; url: string }[];
  categories: { term: string; label: string; scheme: string }[];
  image: FeedImage | null;
}

export interface FeedModel {
  title: string;
  description: string;
  language: string;
  homeUrl: string;
  /** The publication, author of every item that names none. */
  publisher: { name: string; url: string };
  /** The absolute URL of this feed. */
  selfUrl: string;
  /** The newest change to any item, for the feed-level date. */
  updated: string;
  /** For Last-Modified: moves with every public change, so it never goes backwards. */
  lastModified: string;
  items: FeedItem[];
}

// Widest JPEG no wider than this: big enough for readers, small enough to download.
const FEED_IMAGE_MAX_WIDTH = 1600;

function feedImage(base: string, img: Image | null): FeedImage | null {
  if (!img) return null;
  const jpegs = img.variants.filter((v) => v.format === 'jpeg').sort((a, b) => b.width - a.width);
  const v = jpegs.find((j) => j.width <= FEED_IMAGE_MAX_WIDTH) ?? jpegs[jpegs.length - 1];
  if (!v) return null;
  return {
    url: absoluteUrl(base, urls.media(v.file)),
    width: v.width,
    height: v.height,
    bytes: v.bytes,
    type: 'image/jpeg',
    alt: img.alt,
    caption: img.caption,
    credit: img.credit,
  };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>' };

/**
 * Makes the URLs in sanitised article HTML absolute: feed readers show it away from our
 * site. The sanitiser writes every attribute double-quoted with `"`, `<` and `>` escaped,
 * so a tag is `<name ...>` with no `>` inside and values never contain a raw quote.
 */
export function absolutiseHtml(bodyHtml: string, pageUrl: string): string {
  return bodyHtml.replace(/<(?:a|img)\s[^>]*>/gi, (tag) =>
    tag.replace(/(\s(?:href|src)=")([^"]*)"/gi, (whole, prefix: string, raw: string) => {
      const value = raw.replace(/&(?:amp|quot|#39|lt|gt);/g, (e) => ENTITIES[e] ?? e);
      if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return whole;
      try {
        return `${prefix}${escapeHtml(new URL(value, pageUrl).href)}"`;
      } catch {
        return whole;
      }
    }),
  );
}

function leadFigure(image: FeedImage): string {
  const credit = image.credit ? `Photo: ${image.credit}` : '';
  const caption = [image.caption, credit].filter(Boolean).join(' ');
  return `<figure><img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt)}" width="${image.width}" height="${image.height}">${
    caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ''
  }</figure>\n`;
}

export function feedItem(base: string, a: FeedArticle): FeedItem {
  const url = absoluteUrl(base, urls.article(a.slug));
  const image = feedImage(base, a.lead);
  const categories = [
    ...(a.section
      ? [{ term: a.section.slug, label: a.section.name, scheme: absoluteUrl(base, urls.section(a.section.slug)) }]
      : []),
    ...a.tags.map((t) => ({ term: t.slug, label: t.name, scheme: absoluteUrl(base, urls.tag(t.slug)) })),
  ];
  return {
    url,
    title: a.headline,
    summary: a.standfirst,
    contentHtml: (image ? leadFigure(image) : '') + absolutiseHtml(a.bodyHtml, url),
    published: a.publishedAt,
    updated: a.updatedAt ?? a.publishedAt,
    language: a.language,
    authors: a.authors.map((au) => ({ name: au.name, url: absoluteUrl(base, urls.author(au.slug)) })),
    categories,
    image,
  };
}

/** Loads the newest articles of the whole publication, or of one section, as a feed. */
export async function loadFeed(
  deps: ArticlesDeps,
  ctx: SiteContext,
  selfPath: string,
  section?: Section,
): Promise<FeedModel> {
  const s = ctx.settings;
  const [articles, state] = await Promise.all([
    listFeedArticles(deps, section ? { limit: FEED_SIZE, sectionId: section.id } : { limit: FEED_SIZE }),
    getContentState(deps),
  ]);
  return {
    title: section ? `${section.name} – ${s.name}` : s.name,
    description: (section ? section.description : s.description) || s.tagline || s.name,
    language: s.language,
    homeUrl: absoluteUrl(s.baseUrl, section ? urls.section(section.slug) : urls.home()),
    selfUrl: absoluteUrl(s.baseUrl, selfPath),
    publisher: { name: s.name, url: absoluteUrl(s.baseUrl, urls.home()) },
    updated: latest(articles.map((a) => a.modifiedAt)) ?? state.changedAt,
    lastModified: state.changedAt,
    items: articles.map((a) => feedItem(s.baseUrl, a)),
  };
}
