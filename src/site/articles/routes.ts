import type { FastifyInstance } from 'fastify';
import * as articles from '#articles';
import { NotFoundError } from '#lib/errors.ts';
import { isSlug } from '#lib/slug.ts';
import { parsePage } from '#http';
import type { SiteRuntime } from '../runtime.ts';
import { urls } from '../urls.ts';
import { articlePage } from './article-page.ts';
import { homePage, latestPage } from './home-page.ts';
import { authorIntro, listPage } from './list-page.ts';
import { searchPage } from './search-page.ts';

const PER_PAGE = 12;
const HOME_LATEST = 7;
const HOME_PER_SECTION = 4;

type Query = Record<string, unknown>;

function slugParam(raw: string): string {
  if (!isSlug(raw)) throw new NotFoundError('SITE_NOT_FOUND', 'There is no page at this address.');
  return raw;
}

function beyondLastPage(page: articles.Page<unknown>): void {
  if (page.page > page.pageCount) throw new NotFoundError('SITE_NO_SUCH_PAGE', 'There is no page with that number.');
}

/** Reading pages: home, article, section, tag, author, search. */
export function registerArticleRoutes(app: FastifyInstance, site: SiteRuntime): void {
  const deps = site.deps.articles;

  app.get('/', async (request, reply) => {
    const page = parsePage((request.query as Query).page);
    return site.serve(request, reply, `home:${page}`, async (ctx) => {
      if (page > 1) {
        const list = await articles.listPublished(deps, { page, perPage: PER_PAGE });
        beyondLastPage(list);
        return { body: latestPage(ctx, list), lastModified: list.items[0]?.publishedAt ?? null };
      }
      const latest = await articles.listPublished(deps, { page: 1, perPage: HOME_LATEST });
      const shown = latest.items.map((a) => a.id);
      const bySection = await Promise.all(
        ctx.sections.map(async (section) => ({
          section,
          items: (
            await articles.listPublished(deps, {
              page: 1,
              perPage: HOME_PER_SECTION,
              sectionId: section.id,
              excludeIds: shown,
            })
          ).items,
        })),
      );
      const state = await articles.getContentState(deps);
      return { body: homePage(ctx, { latest, bySection }), lastModified: state.changedAt };
    });
  });

  app.get<{ Params: { slug: string } }>('/articles/:slug', async (request, reply) => {
    const slug = slugParam(request.params.slug);
    return site.serve(request, reply, `article:${slug}`, async (ctx) => {
      const { article, related } = await articles.getArticlePage(deps, slug, {
        sections: ctx.sections,
        relatedLimit: 4,
      });
      return { body: articlePage(ctx, article, related), lastModified: article.modifiedAt };
    });
  });

  app.get<{ Params: { slug: string } }>('/section/:slug', async (request, reply) => {
    const slug = slugParam(request.params.slug);
    const page = parsePage((request.query as Query).page);
    return site.serve(request, reply, `section:${slug}:${page}`, async (ctx) => {
      const section = await articles.getSection(deps, slug);
      const list = await articles.listPublished(deps, { page, perPage: PER_PAGE, sectionId: section.id });
      beyondLastPage(list);
      const body = listPage(ctx, {
        title: section.name,
        kicker: 'Section',
        description: section.description,
        page: list,
        link: (n) => urls.section(slug, n),
        currentSection: slug,
      });
      return { body, lastModified: list.items[0]?.publishedAt ?? null };
    });
  });

  app.get<{ Params: { slug: string } }>('/tag/:slug', async (request, reply) => {
    const slug = slugParam(request.params.slug);
    const page = parsePage((request.query as Query).page);
    return site.serve(request, reply, `tag:${slug}:${page}`, async (ctx) => {
      const tag = await articles.getTag(deps, slug);
      const list = await articles.listPublished(deps, { page, perPage: PER_PAGE, tagId: tag.id });
      beyondLastPage(list);
      const body = listPage(ctx, { title: tag.name, kicker: 'Topic', page: list, link: (n) => urls.tag(slug, n) });
      return { body, lastModified: list.items[0]?.publishedAt ?? null };
    });
  });

  app.get<{ Params: { slug: string } }>('/author/:slug', async (request, reply) => {
    const slug = slugParam(request.params.slug);
    const page = parsePage((request.query as Query).page);
    return site.serve(request, reply, `author:${slug}:${page}`, async (ctx) => {
      const author = await articles.getAuthor(deps, slug);
      const list = await articles.listPublished(deps, { page, perPage: PER_PAGE, authorId: author.id });
      beyondLastPage(list);
      const body = listPage(ctx, {
        title: author.name,
        kicker: 'Author',
        description: author.bio,
        intro: authorIntro(author),
        page: list,
        link: (n) => urls.author(slug, n),
      });
      return { body, lastModified: list.items[0]?.publishedAt ?? null };
    });
  });

  // Search pages are not cached: every query is different and would only crowd the cache.
  app.get('/search', async (request, reply) => {
    const query = request.query as Query;
    const page = parsePage(query.page);
    const raw = query.q;
    const q = typeof raw === 'string' ? raw : Array.isArray(raw) ? String(raw[0] ?? '') : '';
    const ctx = await site.context();
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
    if (q.length > articles.SEARCH_MAX_LENGTH) {
      return reply
        .code(400)
        .send(
          searchPage(
            ctx,
            q.slice(0, articles.SEARCH_MAX_LENGTH),
            null,
            `Please use at most ${articles.SEARCH_MAX_LENGTH} characters.`,
          ),
        );
    }
    if (!q.trim()) return reply.send(searchPage(ctx, '', null));
    const results = await articles.searchArticles(deps, q, page, PER_PAGE);
    if (page > 1) beyondLastPage(results);
    return reply.send(searchPage(ctx, q, results));
  });
}
