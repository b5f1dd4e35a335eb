import { publishJob, type ArticlesDeps } from '#articles';
import type { JobHandler } from './types.ts';

/** Every job handler the product runs, in one list. */
export function jobHandlers(services: { articles: ArticlesDeps }): JobHandler[] {
  return [publishJob(services.articles)];
}
