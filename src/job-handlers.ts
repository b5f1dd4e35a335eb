import { PUBLISH_JOB, publishIfDue, type ArticlesDeps } from '#articles';
import { EDITION_SEND_JOB, sendDueEdition, type EditionsDeps } from '#editions';
import { handle, type JobHandler } from '#jobs';
import { MAIL_SEND_JOB, sendQueuedMail, type MailDeps } from '#mail';
import {
  DELIVER_JOB,
  laneRunner,
  purgePending,
  PURGE_PENDING_JOB,
  type DeliveryDeps,
  type NewsletterDeps,
} from '#newsletter';
import {
  CLEANUP_JOB,
  deliverTestEvent,
  FORGET_CUSTOMER_JOB,
  forgetCustomer,
  REMINDER_JOB,
  sendReminder,
  sweepExpired,
  TEST_WEBHOOK_JOB,
  type SupportDeps,
} from '#support';

/**
 * Every job the product runs, in one list: each feature declares its job types in its
 * `jobs.ts` and does the work in its services; this is where the two meet. A job type with
 * no line here is never claimed by a worker.
 */
export function jobHandlers(services: {
  articles: ArticlesDeps;
  mail: MailDeps;
  support: SupportDeps;
  newsletter: NewsletterDeps;
  delivery: DeliveryDeps;
  editions: EditionsDeps;
}): JobHandler[] {
  const { articles, mail, support, newsletter, delivery, editions } = services;
  return [
    handle(PUBLISH_JOB, (p) => publishIfDue(articles, p.articleId)),
    handle(MAIL_SEND_JOB, (p) => sendQueuedMail(mail, p)),
    handle(PURGE_PENDING_JOB, () => purgePending(newsletter)),
    handle(DELIVER_JOB, laneRunner(delivery)),
    handle(EDITION_SEND_JOB, (p) => sendDueEdition(editions, p.editionId)),
    handle(REMINDER_JOB, (p) => sendReminder(support, p.id)),
    handle(TEST_WEBHOOK_JOB, (p) => deliverTestEvent(support, p.eventId)),
    handle(CLEANUP_JOB, (_p, ctx) => sweepExpired(support, ctx.clock.now())),
    handle(FORGET_CUSTOMER_JOB, (p) => forgetCustomer(support, p)),
  ];
}
