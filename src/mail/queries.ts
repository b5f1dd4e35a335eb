import type { Kysely, Selectable } from 'kysely';
import type { Database, OutboxMessagesTable } from '#db';
import { fromDbJson, toDbJson } from '#db';
import type { OutboxMessage, OutboxSummary, ValidMessage } from './types.ts';

type K = Kysely<Database>;
type OutboxRow = Selectable<OutboxMessagesTable>;

const SUMMARY_COLUMNS = ['id', 'message_id', 'to_address', 'subject', 'category', 'created_at'] as const;

function toSummary(r: Pick<OutboxRow, (typeof SUMMARY_COLUMNS)[number]>): OutboxSummary {
  return {
    id: r.id,
    messageId: r.message_id,
    to: r.to_address,
    subject: r.subject,
    category: r.category,
    createdAt: r.created_at,
  };
}

/** Stores a message; a second store of the same Message-ID (a retried send) is a no-op. */
export async function insertOutboxMessage(db: K, m: ValidMessage, now: string): Promise<void> {
  await db
    .insertInto('outbox_messages')
    .values({
      message_id: m.messageId,
      to_address: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html,
      headers: toDbJson(m.headers),
      category: m.category,
      created_at: now,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

export async function listOutboxMessages(
  db: K,
  opts: { limit: number; offset: number; to?: string | undefined; category?: string | undefined },
): Promise<{ items: OutboxSummary[]; total: number }> {
  let base = db.selectFrom('outbox_messages');
  if (opts.to !== undefined) base = base.where('to_address', '=', opts.to);
  if (opts.category !== undefined) base = base.where('category', '=', opts.category);
  const [rows, count] = await Promise.all([
    base
      .select(SUMMARY_COLUMNS)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toSummary), total: Number(count.n) };
}

export async function findOutboxMessage(
  db: K,
  where: { id: number } | { messageId: string },
): Promise<OutboxMessage | null> {
  const q = db.selectFrom('outbox_messages').selectAll();
  const r = await (
    'id' in where ? q.where('id', '=', where.id) : q.where('message_id', '=', where.messageId)
  ).executeTakeFirst();
  if (!r) return null;
  return { ...toSummary(r), text: r.text, html: r.html, headers: fromDbJson<Record<string, string>>(r.headers, {}) };
}

export async function deleteOutboxBefore(db: K, cutoff: string): Promise<number> {
  const r = await db.deleteFrom('outbox_messages').where('created_at', '<', cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}
