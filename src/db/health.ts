import { sql } from 'kysely';
import type { Db } from './connection.ts';
import { schemaStatus } from './migrate.ts';

/**
 * What serving needs from the database, checked now: it answers, it accepts a write, and
 * its schema is the one this program expects. Returns the problems found (none: ready);
 * they are for the log, not for the public.
 */
export async function databaseProblems(db: Db): Promise<string[]> {
  const problems: string[] = [];
  try {
    // A write that changes nothing still needs the database to take a write: a full disk,
    // a read-only file or a standby answers it with an error.
    await sql`update site_state set content_version = content_version where id = 1`.execute(db.kysely);
  } catch (err) {
    problems.push(`database does not take writes: ${(err as Error).message}`);
    return problems;
  }
  try {
    const status = await schemaStatus(db);
    if (status.pending.length > 0) problems.push(`migrations pending: ${status.pending.join(', ')}`);
    if (status.unknown.length > 0) problems.push(`database migrated by a newer Masthead: ${status.unknown.join(', ')}`);
  } catch (err) {
    problems.push(`schema status unknown: ${(err as Error).message}`);
  }
  return problems;
}
