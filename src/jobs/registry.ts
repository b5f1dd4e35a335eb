import { publishJob, type ArticlesDeps } from '#articles';
import { sendMailJob, type MailDeps } from '#mail';
import type { JobHandler } from './types.ts';

/** Every job handler the product runs, in one list. */
export function jobHandlers(services: { articles: ArticlesDeps; mail: MailDeps }): JobHandler[] {
  return [publishJob(services.articles), sendMailJob(services.mail)];
}
