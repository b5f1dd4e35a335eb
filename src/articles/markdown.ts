import { createRequire } from 'node:module';
import type MarkdownIt from 'markdown-it';
import type sanitizeHtml from 'sanitize-html';

// Both load on first use (saving an article, a preview): a process that only serves readers
// prints stored HTML and never needs them.
const require = createRequire(import.meta.url);
let md: InstanceType<typeof MarkdownIt> | null = null;
let sanitize: typeof sanitizeHtml | null = null;
function tools(): { md: InstanceType<typeof MarkdownIt>; sanitize: typeof sanitizeHtml } {
  sanitize ??= require('sanitize-html') as typeof sanitizeHtml;
  md ??= new (require('markdown-it') as typeof MarkdownIt)({ html: true, linkify: true, typographer: true });
  return { md, sanitize };
}

// Raw HTML is allowed in the Markdown so editors can paste simple markup, and everything is
// sanitised on save against this allowlist. Pages then print the stored HTML as it is.

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h2',
    'h3',
    'h4',
    'blockquote',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'b',
    'i',
    's',
    'sub',
    'sup',
    'a',
    'code',
    'pre',
    'figure',
    'figcaption',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'cite',
    'q',
    'abbr',
    'small',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    abbr: ['title'],
    th: ['scope'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // Links leaving the site never pass our readers' referrer along.
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      const external = /^https?:\/\//i.test(href);
      return { tagName, attribs: external ? { ...attribs, rel: 'noopener noreferrer' } : attribs };
    },
    h1: 'h2',
  },
  disallowedTagsMode: 'discard',
  // Images only from our own media library: an image from elsewhere would be a request to a
  // third party from every reader of a feed or an email (the site's CSP blocks it anyway).
  exclusiveFilter: (frame) => frame.tag === 'img' && !isOwnMedia(frame.attribs.src ?? ''),
};

/** A path into our media library (`/media/<dir>/<file>`), as the library's snippets give it. */
export function isOwnMedia(src: string): boolean {
  return /^\/media\/[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_.-]+)+$/.test(src) && !src.includes('..');
}

/** Markdown in, sanitised HTML and plain text (for search and feeds' summaries) out. */
export function renderMarkdown(markdown: string): { html: string; text: string } {
  const { md, sanitize } = tools();
  const rendered = md.render(markdown);
  const html = sanitize(rendered, SANITIZE);
  const text = sanitize(rendered, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return { html, text };
}
