import sharp from 'sharp';
import {
  createArticle,
  createAuthor,
  createSection,
  uploadImage,
  type ArticleInput,
  type ArticlesDeps,
} from '#articles';

let counter = 0;
const next = () => ++counter;

/** A plain generated JPEG; small enough to keep tests fast, large enough for two variants. */
export async function testImage(width = 1000, height = 560, colour = '#336699'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();
}

export async function makeSection(
  deps: ArticlesDeps,
  over: { slug?: string; name?: string } = {},
): Promise<{ id: number; slug: string; name: string }> {
  const n = next();
  const slug = over.slug ?? `section-${n}`;
  const name = over.name ?? `Section ${n}`;
  const id = await createSection(deps, { slug, name, description: `About ${name}` });
  return { id, slug, name };
}

export async function makeAuthor(
  deps: ArticlesDeps,
  over: { slug?: string; name?: string } = {},
): Promise<{ id: number; slug: string; name: string }> {
  const n = next();
  const slug = over.slug ?? `author-${n}`;
  const name = over.name ?? `Author ${n}`;
  const id = await createAuthor(deps, { slug, name, role: 'Reporter', bio: `${name} reports on things.` });
  return { id, slug, name };
}

/** A published article with a lead image unless told otherwise. */
export async function makeArticle(
  deps: ArticlesDeps,
  over: Partial<ArticleInput> & { withImage?: boolean } = {},
): Promise<{ id: number; slug: string }> {
  const n = next();
  const { withImage = true, ...input } = over;
  let lead: ArticleInput['lead'] = null;
  if (withImage) {
    const mediaId = await uploadImage(deps, await testImage(), {
      originalName: 'lead.jpg',
      alt: 'A test image',
      credit: 'Test Photographer / Agency',
    });
    lead = {
      mediaId,
      alt: 'A blue test image',
      caption: 'A caption for the test image',
      credit: 'Test Photographer / Agency',
    };
  }
  const slug = input.slug ?? `article-${n}`;
  const id = await createArticle(deps, {
    slug,
    headline: `Headline number ${n}`,
    standfirst: `Standfirst of article ${n}`,
    bodyMarkdown: `Paragraph one of article ${n}.\n\n> "A quote," said someone.\n\nParagraph two.`,
    status: 'published',
    lead,
    ...input,
  });
  return { id, slug };
}
