import { sql, type Kysely } from 'kysely';
import { AppError } from '#lib/errors.ts';
import type { Db } from './connection.ts';
import { migrations as allMigrations } from './migrations/index.ts';
import type { Migration } from './migrations/types.ts';

export interface SchemaStatus {
  applied: string[];
  pending: string[];
  /** Applied in the database but unknown to this program: the schema is newer than the code. */
  unknown: string[];
}

async function ensureTable(db: Kysely<unknown>): Promise<void> {
  await sql`create table if not exists schema_migrations (id text primary key, applied_at text not null)`.execute(db);
}

async function appliedIds(db: Kysely<unknown>): Promise<string[]> {
  const r = await sql<{ id: string }>`select id from schema_migrations order by id`.execute(db);
  return r.rows.map((row) => row.id);
}

export async function schemaStatus(db: Db, migrations: readonly Migration[] = allMigrations): Promise<SchemaStatus> {
  const k = db.kysely as unknown as Kysely<unknown>;
  await ensureTable(k);
  const applied = await appliedIds(k);
  const known = new Set(migrations.map((m) => m.id));
  return {
    applied,
    pending: migrations.filter((m) => !applied.includes(m.id)).map((m) => m.id),
    unknown: applied.filter((id) => !known.has(id)),
  };
}

/**
 * Applies pending migrations, each in its own transaction together with its bookkeeping
 * row, so a crash leaves the schema before or after a migration, never in between. On
 * PostgreSQL an advisory lock lets several processes start at once safely.
 */
export async function migrate(db: Db, migrations: readonly Migration[] = allMigrations): Promise<string[]> {
  const status = await schemaStatus(db, migrations);
  assertNotNewer(status);
  const done: string[] = [];
  for (const m of migrations) {
    if (status.applied.includes(m.id)) continue;
    const ran = await (db.kysely as unknown as Kysely<unknown>).transaction().execute(async (trx) => {
      if (db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(7270001)`.execute(trx);
      if ((await appliedIds(trx)).includes(m.id)) return false; // another process got here first
      await m.up(trx, db.dialect);
      await sql`insert into schema_migrations (id, applied_at) values (${m.id}, ${new Date().toISOString()})`.execute(
        trx,
      );
      return true;
    });
    if (ran) done.push(m.id);
  }
  return done;
}

export function assertNotNewer(status: SchemaStatus): void {
  if (status.unknown.length > 0) {
    throw new AppError(
      500,
      'DB_SCHEMA_NEWER',
      `The database schema is newer than this version of Masthead knows (unknown migrations: ${status.unknown.join(', ')}). Upgrade Masthead or point it at another database.`,
    );
  }
}

/** For boot: refuse a newer schema, and report pending migrations. */
export async function checkSchema(db: Db): Promise<SchemaStatus> {
  const status = await schemaStatus(db);
  assertNotNewer(status);
  return status;
}
