import type { ArticleSummary, Image } from '#articles';
import { escapeHtml } from '#lib/html.ts';
import { theName } from '#lib/words.ts';

/** Where the delivery engine puts each recipient's own links (exact spelling is the contract). */
export const UNSUBSCRIBE_PLACEHOLDER = '{{unsubscribe_url}}';
export const MANAGE_PLACEHOLDER = '{{manage_url}}';

/** An item as the edition shows it: a section heading, or an article with the editor's blurb. */
export type RenderItem =
  { kind: 'heading'; heading: string } | { kind: 'article'; article: ArticleSummary; blurb: string };

export interface RenderInput {
  subject: string;
  preheader: string;
  intro: string;
  signOff: string;
  items: readonly RenderItem[];
  publication: { name: string; baseUrl: string; language: string };
  /** The public web page of this edition, when it has one (editions get it when sending starts). */
  webUrl: string | null;
}

export interface RenderedEdition {
  html: string;
  text: string;
}

type Mjml2Html = (
  mjml: string,
  options: { validationLevel: 'soft' | 'strict' | 'skip'; keepComments?: boolean },
) => Promise<{ html: string; errors: { formattedMessage?: string; message?: string }[] }>;

let mjmlLoad: Promise<Mjml2Html> | null = null;

// MJML pulls in a large dependency tree: loaded on first use, so a web process that never
// renders an edition never pays for it.
function loadMjml(): Promise<Mjml2Html> {
  mjmlLoad ??= import('mjml').then((m) => (m as unknown as { default: Mjml2Html }).default);
  mjmlLoad.catch(() => {
    mjmlLoad = null;
  });
  return mjmlLoad;
}

export class RenderError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`MJML reported ${problems.length} problem(s): ${problems.slice(0, 3).join('; ')}`);
    this.problems = problems;
  }
}

const WIDE_IMAGE = 1200;

/** The widest JPEG variant up to 1200 px (twice the email column, for sharp screens). */
function emailImage(baseUrl: string, img: Image | null): { src: string; alt: string; credit: string } | null {
  if (!img) return null;
  const jpegs = img.variants.filter((v) => v.format === 'jpeg').sort((a, b) => b.width - a.width);
  const v = jpegs.find((j) => j.width <= WIDE_IMAGE) ?? jpegs[jpegs.length - 1];
  return v ? { src: `${baseUrl}/media/${v.file}`, alt: img.alt, credit: img.credit } : null;
}

export function articleUrl(baseUrl: string, slug: string): string {
  return `${baseUrl}/articles/${encodeURIComponent(slug)}`;
}

/** Editor text as paragraphs: blank lines separate them, single line breaks stay as <br>. */
function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => escapeHtml(p).replace(/\r?\n/g, '<br>'));
}

const e = escapeHtml;
const FONT = "Georgia, 'Times New Roman', serif";
const SANS = 'Helvetica, Arial, sans-serif';

function mjmlItem(baseUrl: string, item: RenderItem): string {
  if (item.kind === 'heading') {
    return `<mj-section padding="24px 0 0"><mj-column><mj-divider border-width="2px" border-color="#111111" padding="0 24px 8px"/><mj-text font-family="${SANS}" font-size="13px" font-weight="700" letter-spacing="1px" text-transform="uppercase" color="#b3001b">${e(item.heading)}</mj-text></mj-column></mj-section>`;
  }
  const a = item.article;
  const url = articleUrl(baseUrl, a.slug);
  const img = emailImage(baseUrl, a.lead);
  const blurb = item.blurb.trim() !== '' ? paragraphs(item.blurb) : a.standfirst ? [e(a.standfirst)] : [];
  return `<mj-section padding="16px 0"><mj-column>${img ? `<mj-image src="${e(img.src)}" alt="${e(img.alt)}" href="${e(url)}" padding="0 24px 8px" fluid-on-mobile="true"/>` : ''}
<mj-text padding="4px 24px" font-family="${FONT}" font-size="22px" line-height="1.25"><a href="${e(url)}" style="color:#111111;text-decoration:none">${e(a.headline)}</a></mj-text>
${blurb.map((p) => `<mj-text padding="4px 24px" font-family="${FONT}" font-size="16px" line-height="1.5" color="#333333">${p}</mj-text>`).join('\n')}
<mj-text padding="4px 24px" font-family="${SANS}" font-size="13px"><a href="${e(url)}" style="color:#b3001b">Read the article</a>${img?.credit ? ` <span style="color:#777777">· Photo: ${e(img.credit)}</span>` : ''}</mj-text>
</mj-column></mj-section>`;
}

/** The MJML source of an edition; every piece of editor text is escaped here. */
export function editionMjml(input: RenderInput): string {
  const { publication: pub } = input;
  const text = (html: string, attrs = '') =>
    `<mj-text padding="4px 24px" font-family="${FONT}" font-size="17px" line-height="1.55"${attrs}>${html}</mj-text>`;
  return `<mjml lang="${e(pub.language)}">
<mj-head>
<mj-title>${e(input.subject)}</mj-title>
${input.preheader.trim() ? `<mj-preview>${e(input.preheader)}</mj-preview>` : ''}
<mj-attributes><mj-all font-family="${FONT}" color="#111111"/></mj-attributes>
</mj-head>
<mj-body background-color="#f4f1ea" width="600px">
<mj-section padding="20px 0 8px">${input.webUrl ? `<mj-column><mj-text align="center" font-family="${SANS}" font-size="12px" color="#555555"><a href="${e(input.webUrl)}" style="color:#555555">Read this edition on the web</a></mj-text></mj-column>` : '<mj-column><mj-spacer height="1px"/></mj-column>'}</mj-section>
<mj-wrapper background-color="#ffffff" padding="8px 0 24px">
<mj-section padding="16px 0 8px"><mj-column>
<mj-text align="center" font-size="30px" font-weight="700" padding="8px 24px"><a href="${e(pub.baseUrl)}/" style="color:#111111;text-decoration:none">${e(pub.name)}</a></mj-text>
<mj-text align="center" font-family="${SANS}" font-size="14px" color="#555555" padding="0 24px 8px">${e(input.subject)}</mj-text>
<mj-divider border-width="1px" border-color="#dddddd" padding="8px 24px"/>
</mj-column></mj-section>
${
  paragraphs(input.intro).length > 0
    ? `<mj-section padding="0"><mj-column>${paragraphs(input.intro)
        .map((p) => text(p))
        .join('\n')}</mj-column></mj-section>`
    : ''
}
${input.items.map((item) => mjmlItem(pub.baseUrl, item)).join('\n')}
${
  paragraphs(input.signOff).length > 0
    ? `<mj-section padding="16px 0 0"><mj-column><mj-divider border-width="1px" border-color="#dddddd" padding="0 24px 8px"/>${paragraphs(
        input.signOff,
      )
        .map((p) => text(p))
        .join('\n')}</mj-column></mj-section>`
    : ''
}
</mj-wrapper>
<mj-section padding="16px 0 24px"><mj-column>
<mj-text align="center" font-family="${SANS}" font-size="12px" line-height="1.6" color="#555555">You receive this because you subscribed to ${e(theName(pub.name))} newsletter.<br><a href="${MANAGE_PLACEHOLDER}" style="color:#555555">Manage your subscription</a> · <a href="${UNSUBSCRIBE_PLACEHOLDER}" style="color:#555555">Unsubscribe</a></mj-text>
</mj-column></mj-section>
</mj-body>
</mjml>`;
}

/** Plain text: the same content, links spelled out. */
export function editionText(input: RenderInput): string {
  const out: string[] = [input.publication.name, input.subject, ''];
  if (input.webUrl) out.push(`Read this edition on the web: ${input.webUrl}`, '');
  const plain = (t: string) =>
    t
      .trim()
      .split(/\r?\n\s*\r?\n/)
      .map((p) => p.trim())
      .filter(Boolean);
  for (const p of plain(input.intro)) out.push(p, '');
  for (const item of input.items) {
    if (item.kind === 'heading') {
      out.push(item.heading.toUpperCase(), '-'.repeat(Math.min(60, Math.max(3, item.heading.length))), '');
      continue;
    }
    out.push(item.article.headline);
    const blurb =
      item.blurb.trim() !== '' ? plain(item.blurb) : item.article.standfirst ? [item.article.standfirst] : [];
    for (const p of blurb) out.push(p);
    out.push(articleUrl(input.publication.baseUrl, item.article.slug), '');
  }
  for (const p of plain(input.signOff)) out.push(p, '');
  out.push(
    '--',
    `You receive this because you subscribed to ${theName(input.publication.name)} newsletter.`,
    `Manage your subscription: ${MANAGE_PLACEHOLDER}`,
    `Unsubscribe: ${UNSUBSCRIBE_PLACEHOLDER}`,
    '',
  );
  return out.join('\n');
}

/** Renders an edition to email HTML (MJML) and plain text, both holding the two link placeholders. */
export async function renderEdition(input: RenderInput): Promise<RenderedEdition> {
  const mjml2html = await loadMjml();
  const r = await mjml2html(editionMjml(input), { validationLevel: 'soft', keepComments: false });
  if (r.errors.length > 0)
    throw new RenderError(r.errors.map((x) => x.formattedMessage ?? x.message ?? 'unknown MJML error'));
  return { html: r.html, text: editionText(input) };
}

/** The rendered HTML with both placeholders replaced by harmless links, for previews and test sends. */
export function withPreviewLinks(rendered: string, link: string): string {
  return rendered.split(UNSUBSCRIBE_PLACEHOLDER).join(link).split(MANAGE_PLACEHOLDER).join(link);
}
