import { publishJob, type ArticlesDeps } from '#articles';
import { sendMailJob, type MailDeps } from '#mail';
import { purgePendingJob, type NewsletterDeps } from '#newsletter';
import type { JobHandler } from './types.ts';

/** Every job handler the product runs, in one list. */
export function jobHandlers(services: { articles: ArticlesDeps; mail: MailDeps; newsletter: NewsletterDeps }): JobHandler[] {
  return [publishJob(services.articles), sendMailJob(services.mail), purgePendingJob(services.newsletter)];
}
