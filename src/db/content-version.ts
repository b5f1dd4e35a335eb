import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Marks public content as changed: rendered pages are cached per content version, so every
 * process drops its pages when this moves (see ADR 004). Call it in the transaction that
 * makes the change, from any feature whose data readers see.
 */
export async function bumpContentVersion(db: Kysely<Database>, now: string): Promise<void> {
  await db
    .updateTable('site_state')
    .set((eb) => ({ content_version: eb('content_version', '+', 1), content_changed_at: now }))
    .where('id', '=', 1)
    .execute();
}
