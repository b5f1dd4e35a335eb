import { demoArticles, demoAuthors, demoSections } from './demo/content.ts';
import * as q from './queries.ts';
import {
  countArticles,
  createArticle,
  createAuthor,
  createSection,
  uploadImage,
  type ArticlesDeps,
} from './service.ts';

export interface SeedResult {
  seeded: boolean;
  articles: number;
}

async function isEmpty(deps: ArticlesDeps): Promise<boolean> {
  const k = deps.db.kysely;
  const [articles, sections, authors] = await Promise.all([
    countArticles(deps),
    k.selectFrom('sections').select('id').limit(1).execute(),
    k.selectFrom('authors').select('id').limit(1).execute(),
  ]);
  return articles === 0 && sections.length === 0 && authors.length === 0;
}

/**
 * Fills an empty database with the demo publication. Does nothing when any article,
 * section or author exists, so it never touches a newsroom's real content.
 */
export async function seedDemo(deps: ArticlesDeps): Promise<SeedResult> {
  if (!(await isEmpty(deps))) return { seeded: false, articles: 0 };
  const { renderDemoImage, renderDemoPortrait } = await import('./demo/images.ts');

  for (const [position, s] of demoSections.entries()) {
    await createSection(deps, { slug: s.slug, name: s.name, description: s.description, position });
  }
  for (const a of demoAuthors) {
    const initials = a.name
      .split(/\s+/)
      .map((w) => w[0] ?? '')
      .join('')
      .slice(0, 2)
      .toUpperCase();
    const photo = await uploadImage(deps, await renderDemoPortrait(a.palette, initials, 480), {
      originalName: `${a.slug}.jpg`,
      alt: `Portrait of ${a.name}`,
      credit: 'Illustration / Masthead demo',
    });
    await createAuthor(deps, { slug: a.slug, name: a.name, role: a.role, bio: a.bio, photoMediaId: photo });
  }
  const now = deps.clock.now().getTime();
  // Oldest first, so ids follow publication order like a real archive.
  const ordered = [...demoArticles].sort((x, y) => y.publishedHoursAgo - x.publishedHoursAgo);
  // Images are the slow part (rasterise, then six encodes each): a few at a time.
  const mediaIds = await mapConcurrently(ordered, 3, async (a) =>
    uploadImage(deps, await renderDemoImage(a.image, 1600, 900), {
      originalName: `${a.slug}.jpg`,
      alt: a.image.alt,
      caption: a.image.caption,
      credit: a.image.credit,
    }),
  );
  for (const [i, a] of ordered.entries()) {
    const mediaId = mediaIds[i] ?? null;
    await createArticle(deps, {
      slug: a.slug,
      headline: a.headline,
      standfirst: a.standfirst,
      bodyMarkdown: a.body,
      sectionSlug: a.section,
      tags: a.tags,
      authorSlugs: a.authors,
      language: 'en',
      lead: mediaId === null ? null : { mediaId, alt: a.image.alt, caption: a.image.caption, credit: a.image.credit },
      status: 'published',
      publishedAt: new Date(now - a.publishedHoursAgo * 3_600_000),
      updatedAt: a.updatedHoursAgo === undefined ? null : new Date(now - a.updatedHoursAgo * 3_600_000),
    });
  }
  await q.bumpContentVersion(deps.db.kysely, deps.clock.now().toISOString());
  deps.contentChanged();
  return { seeded: true, articles: ordered.length };
}

async function mapConcurrently<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
