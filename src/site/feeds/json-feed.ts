import type { FeedItem, FeedModel } from './feed-model.ts';
import { cleanXmlText, rfc3339 } from './xml.ts';

export const JSON_FEED_CONTENT_TYPE = 'application/feed+json; charset=utf-8';

// Control characters are legal in JSON but nothing a reader should see; same rule as XML.
const clean = (s: string) => cleanXmlText(s);

function jsonItem(item: FeedItem) {
  const updated = item.updated ?? item.published;
  return {
    id: item.url,
    url: item.url,
    title: clean(item.title),
    content_html: clean(item.contentHtml),
    summary: item.summary ? clean(item.summary) : undefined,
    image: item.image?.url,
    date_published: item.published ? rfc3339(item.published) : undefined,
    date_modified: updated ? rfc3339(updated) : undefined,
    authors: item.authors.length > 0 ? item.authors.map((a) => ({ name: clean(a.name), url: a.url })) : undefined,
    tags: item.categories.length > 0 ? item.categories.map((c) => clean(c.label)) : undefined,
    language: item.language,
  };
}

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
export function renderJsonFeed(feed: FeedModel): string {
  return `${JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: clean(feed.title),
      home_page_url: feed.homeUrl,
      feed_url: feed.selfUrl,
      description: clean(feed.description),
      language: feed.language,
      authors: [{ name: clean(feed.publisher.name), url: feed.publisher.url }],
      items: feed.items.map(jsonItem),
    },
    null,
    2,
  )}\n`;
}
