import type { FeedItem, FeedModel } from './feed-model.ts';
import { rfc822, rssText, xml, xmlDocument, type XmlFragment } from './xml.ts';

export const RSS_CONTENT_TYPE = 'application/rss+xml; charset=utf-8';

function rssItem(item: FeedItem): XmlFragment {
  const img = item.image;
  return xml`
    <item>
      <title>${rssText(item.title)}</title>
      <link>${item.url}</link>
      <guid isPermaLink="true">${item.url}</guid>
      ${item.published ? xml`<pubDate>${rfc822(item.published)}</pubDate>` : ''}
      ${item.authors.map((a) => xml`<dc:creator>${a.name}</dc:creator>`)}
      ${item.categories.map((c) => xml`<category domain="${c.scheme}">${rssText(c.label)}</category>`)}
      ${item.summary ? xml`<description>${rssText(item.summary)}</description>` : ''}
      <content:encoded>${item.contentHtml}</content:encoded>
      ${
        img
          ? xml`<enclosure url="${img.url}" length="${img.bytes}" type="${img.type}"/>
      <media:content url="${img.url}" type="${img.type}" medium="image" width="${img.width}" height="${img.height}">
        ${img.caption || img.alt ? xml`<media:description type="plain">${img.caption || img.alt}</media:description>` : ''}
        ${img.credit ? xml`<media:credit>${img.credit}</media:credit>` : ''}
      </media:content>`
          : ''
      }
    </item>`;
}

/**
 * RSS 2.0 with full text in content:encoded (escaped, so any body is well-formed). Titles,
 * descriptions and categories are HTML to feed readers, so plain text goes through rssText.
 */
export function renderRss(feed: FeedModel): string {
  return xmlDocument(xml`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <title>${rssText(feed.title)}</title>
    <link>${feed.homeUrl}</link>
    <description>${rssText(feed.description)}</description>
    <language>${feed.language}</language>
    <lastBuildDate>${rfc822(feed.updated)}</lastBuildDate>
    <generator>Masthead</generator>
    <docs>https://www.rssboard.org/rss-specification</docs>
    <atom:link href="${feed.selfUrl}" rel="self" type="application/rss+xml"/>${feed.items.map(rssItem)}
  </channel>
</rss>`);
}
