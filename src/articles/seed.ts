import { demoArticles, demoAuthors, demoSections } from './demo/content.ts';
import { renderDemoImage, renderDemoPortrait } from './demo/images.ts';
import * as q from './queries.ts';
import { countArticles, createArticle, createAuthor, createSection, uploadImage, type ArticlesDeps } from './service.ts';

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
  for (const a of ordered) {
    const mediaId = await uploadImage(deps, await renderDemoImage(a.image, 1600, 900), {
      originalName: `${a.slug}.jpg`,
      alt: a.image.alt,
      caption: a.image.caption,
      credit: a.image.credit,
    });
    await createArticle(deps, {
      slug: a.slug,
      headline: a.headline,
      standfirst: a.standfirst,
      bodyMarkdown: a.body,
      sectionSlug: a.section,
      tags: a.tags,
      authorSlugs: a.authors,
      language: 'en',
      lead: { mediaId, alt: a.image.alt, caption: a.image.caption, credit: a.image.credit },
      status: 'published',
      publishedAt: new Date(now - a.publishedHoursAgo * 3_600_000),
      updatedAt: a.updatedHoursAgo === undefined ? null : new Date(now - a.updatedHoursAgo * 3_600_000),
    });
  }
  await q.bumpContentVersion(deps.db.kysely, deps.clock.now().toISOString());
  deps.contentChanged();
  return { seeded: true, articles: ordered.length };
}
