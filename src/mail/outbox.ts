import { toDbTime } from '#db';
import { NotFoundError, ValidationError } from '#lib/errors.ts';
import * as q from './queries.ts';
import type { MailDeps, OutboxMessage, OutboxPage } from './types.ts';

const MAX_PER_PAGE = 100;

/** The outbox, newest first; optionally only one recipient's or one category's messages. */
export async function listOutbox(
  deps: Pick<MailDeps, 'db'>,
  opts: { page: number; perPage: number; to?: string | undefined; category?: string | undefined },
): Promise<OutboxPage> {
  const { page, perPage } = opts;
  if (!Number.isInteger(page) || page < 1 || page > 100_000)
    throw new ValidationError('MAIL_BAD_PAGE', 'Page must be a whole number from 1.', { page: 'Give a page from 1' });
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    throw new ValidationError('MAIL_BAD_PAGE', `Show from 1 to ${MAX_PER_PAGE} messages per page.`, {
      perPage: `From 1 to ${MAX_PER_PAGE}`,
    });
  }
  const { items, total } = await q.listOutboxMessages(deps.db.kysely, {
    limit: perPage,
    offset: (page - 1) * perPage,
    to: opts.to,
    category: opts.category,
  });
  return { items, total, page, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

/** One stored message with its bodies and headers; throws MAIL_OUTBOX_NOT_FOUND. */
export async function getOutboxMessage(deps: Pick<MailDeps, 'db'>, id: number): Promise<OutboxMessage> {
  const m = Number.isSafeInteger(id) && id > 0 ? await q.findOutboxMessage(deps.db.kysely, { id }) : null;
  if (!m) throw new NotFoundError('MAIL_OUTBOX_NOT_FOUND', 'No such message in the outbox.');
  return m;
}

/** The stored message with this Message-ID, or null. */
export async function findOutboxMessageByMessageId(
  deps: Pick<MailDeps, 'db'>,
  messageId: string,
): Promise<OutboxMessage | null> {
  return q.findOutboxMessage(deps.db.kysely, { messageId });
}

/** Deletes outbox messages stored more than `days` days ago; returns how many went. */
export async function deleteOutboxOlderThan(deps: Pick<MailDeps, 'db' | 'clock'>, days: number): Promise<number> {
  if (!Number.isInteger(days) || days < 0 || days > 36_500)
    throw new ValidationError('MAIL_INVALID', 'Give a number of days from 0.', { days: 'A whole number from 0' });
  const cutoff = new Date(deps.clock.now().getTime() - days * 86_400_000);
  return q.deleteOutboxBefore(deps.db.kysely, toDbTime(cutoff));
}
