import type { FeedItem, FeedModel } from './feed-model.ts';
import { rfc3339, xml, xmlDocument, type XmlFragment } from './xml.ts';

export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

function atomEntry(item: FeedItem): XmlFragment {
  const updated = item.updated ?? item.published;
  return xml`
  <entry xml:lang="${item.language}">
    <id>${item.url}</id>
    <title type="text">${item.title}</title>
    <link rel="alternate" type="text/html" href="${item.url}"/>
    ${item.published ? xml`<published>${rfc3339(item.published)}</published>` : ''}
    ${updated ? xml`<updated>${rfc3339(updated)}</updated>` : ''}
    ${item.authors.map((a) => xml`<author><name>${a.name}</name><uri>${a.url}</uri></author>`)}
    ${item.categories.map((c) => xml`<category term="${c.term}" label="${c.label}" scheme="${c.scheme}"/>`)}
    ${item.summary ? xml`<summary type="text">${item.summary}</summary>` : ''}
    ${item.image ? xml`<link rel="enclosure" type="${item.image.type}" length="${item.image.bytes}" href="${item.image.url}"/>` : ''}
    <content type="html">${item.contentHtml}</content>
  </entry>`;
}

/**
 * Atom 1.0. Entries without an author inherit the feed's, which is the publication, so
 * every entry has one as the RFC requires.
 */
export function renderAtom(feed: FeedModel): string {
  return xmlDocument(xml`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${feed.language}">
  <id>${feed.selfUrl}</id>
  <title type="text">${feed.title}</title>
  <subtitle type="text">${feed.description}</subtitle>
  <link rel="alternate" type="text/html" href="${feed.homeUrl}"/>
  <link rel="self" type="application/atom+xml" href="${feed.selfUrl}"/>
  <updated>${rfc3339(feed.updated)}</updated>
  <author><name>${feed.publisher.name}</name><uri>${feed.publisher.url}</uri></author>
  <generator>Masthead</generator>${feed.items.map(atomEntry)}
</feed>`);
}
