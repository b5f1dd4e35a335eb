import { publishJob, type ArticlesDeps } from '#articles';
import { sendMailJob, type MailDeps } from '#mail';
import { supportJobs, type SupportDeps } from '#support';
import { deliverJob, purgePendingJob, type DeliveryDeps, type NewsletterDeps } from '#newsletter';
import { editionSendJob, type EditionsDeps } from '#editions';
import type { JobHandler } from './types.ts';

/** Every job handler the product runs, in one list. */
export function jobHandlers(services: {
  articles: ArticlesDeps;
  mail: MailDeps;
  support: SupportDeps;
  newsletter: NewsletterDeps;
  delivery: DeliveryDeps;
  editions: EditionsDeps;
}): JobHandler[] {
  return [
    publishJob(services.articles),
    sendMailJob(services.mail),
    purgePendingJob(services.newsletter),
    ...supportJobs(services.support),
    deliverJob(services.delivery),
    editionSendJob(services.editions),
  ];
}
