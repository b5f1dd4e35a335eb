/** Public URL paths in one place, so links, feeds, sitemaps and the mirror agree. */
export const urls = {
  home: (page = 1) => (page > 1 ? `/?page=${page}` : '/'),
  article: (slug: string) => `/articles/${encodeURIComponent(slug)}`,
  section: (slug: string, page = 1) => `/section/${encodeURIComponent(slug)}${page > 1 ? `?page=${page}` : ''}`,
  tag: (slug: string, page = 1) => `/tag/${encodeURIComponent(slug)}${page > 1 ? `?page=${page}` : ''}`,
  author: (slug: string, page = 1) => `/author/${encodeURIComponent(slug)}${page > 1 ? `?page=${page}` : ''}`,
  search: (q?: string, page = 1) =>
    `/search${q ? `?q=${encodeURIComponent(q)}${page > 1 ? `&page=${page}` : ''}` : ''}`,
  media: (file: string) => `/media/${file}`,
  rss: () => '/feed.xml',
  atom: () => '/atom.xml',
  jsonFeed: () => '/feed.json',
  sitemap: () => '/sitemap.xml',
  newsSitemap: () => '/sitemap-news.xml',
};

export function absoluteUrl(baseUrl: string, path: string): string {
  return `${baseUrl}${path.startsWith('/') ? path : `/${path}`}`;
}
