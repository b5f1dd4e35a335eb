import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { createTestDb, dialects, type TestDb } from '#test/db.ts';
import { migrate, schemaStatus } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import type { Migration } from './migrations/types.ts';

async function tableExists(t: TestDb, name: string): Promise<boolean> {
  const k = t.db.kysely as unknown as Kysely<unknown>;
  const r =
    t.db.dialect === 'sqlite'
      ? await sql<{
          n: number;
        }>`select count(*) as n from sqlite_master where type = 'table' and name = ${name}`.execute(k)
      : await sql<{
          n: number;
        }>`select count(*)::int as n from information_schema.tables where table_name = ${name} and table_schema = current_schema()`.execute(
          k,
        );
  return Number(r.rows[0]?.n) > 0;
}

for (const dialect of dialects) {
  describe(`migrations on ${dialect}`, () => {
    const dbs: TestDb[] = [];
    after(async () => {
      for (const t of dbs) await t.cleanup();
    });

    test('a migrated database has nothing pending and migrating again does nothing', async () => {
      const t = await createTestDb(dialect);
      dbs.push(t);
      const status = await schemaStatus(t.db);
      assert.deepEqual(status.pending, []);
      assert.deepEqual(
        status.applied,
        migrations.map((m) => m.id),
      );
      assert.deepEqual(await migrate(t.db), []);
    });

    test('a migration that fails half-way leaves the schema as it was', async () => {
      const t = await createTestDb(dialect);
      dbs.push(t);
      const broken: Migration = {
        id: '9999-broken',
        async up(db) {
          await sql`create table half_done (id integer primary key)`.execute(db);
          await sql`insert into half_done (id) values (1)`.execute(db);
          await sql`this is not sql`.execute(db);
        },
      };
      await assert.rejects(migrate(t.db, [...migrations, broken]));
      assert.equal(await tableExists(t, 'half_done'), false);
      const status = await schemaStatus(t.db, [...migrations, broken]);
      assert.deepEqual(status.pending, ['9999-broken']);
    });

    test('a database migrated by a newer version is refused', async () => {
      const t = await createTestDb(dialect);
      dbs.push(t);
      const future: Migration = {
        id: '9999-future',
        up: async (db) => void (await sql`create table future_thing (id integer)`.execute(db)),
      };
      assert.deepEqual(await migrate(t.db, [...migrations, future]), ['9999-future']);
      await assert.rejects(migrate(t.db), (err: { code?: string }) => err.code === 'DB_SCHEMA_NEWER');
      const status = await schemaStatus(t.db);
      assert.deepEqual(status.unknown, ['9999-future']);
    });

    test('two migrators racing apply each migration once', async () => {
      const t = await createTestDb(dialect);
      dbs.push(t);
      const counted: Migration = {
        id: '9998-counted',
        up: async (db) => void (await sql`create table counted_once (id integer)`.execute(db)),
      };
      const results = await Promise.allSettled([
        migrate(t.db, [...migrations, counted]),
        migrate(t.db, [...migrations, counted]),
      ]);
      const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
      assert.deepEqual(applied, ['9998-counted']);
      assert.equal(await tableExists(t, 'counted_once'), true);
    });
  });
}
