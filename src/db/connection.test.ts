import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { cachingSqlite, unpeekParameters } from './connection.ts';

test('unpeekParameters rewrites compared and LIMIT/OFFSET parameters of SELECTs only', () => {
  assert.equal(
    unpeekParameters('select * from "articles" where "slug" = ?'),
    'select * from "articles" where "slug" = +?',
  );
  assert.equal(
    unpeekParameters('select a from t where x<=? and y >= ? and z<>? and w != ? and v<? and q>? limit ? offset ?'),
    'select a from t where x<=+? and y >= +? and z<>+? and w != +? and v<+? and q>+? limit +? offset +?',
  );
  // Quoted text, identifiers and comments are left alone, and so are numbered parameters.
  assert.equal(
    unpeekParameters(`select 'a = ?' from t where x = ? and "c = ?" = ? -- = ?\n and y = ?1`),
    `select 'a = ?' from t where x = +? and "c = ?" = +? -- = ?\n and y = ?1`,
  );
  // IN lists, LIKE and function arguments are not peeked at; nothing changes there.
  assert.equal(
    unpeekParameters('select * from t where x in (?, ?) and y like ? and f(?) = 1'),
    'select * from t where x in (?, ?) and y like ? and f(?) = 1',
  );
  // Assignments are not comparisons: other statements are untouched.
  assert.equal(unpeekParameters('update t set x = ? where y = ?'), 'update t set x = ? where y = ?');
  assert.equal(
    unpeekParameters('insert into t (a) values (?) on conflict (a) do update set b = ?'),
    'insert into t (a) values (?) on conflict (a) do update set b = ?',
  );
});

test('a unary plus compares exactly as a bare parameter does, whatever the types', () => {
  const db = new SQLite(':memory:');
  try {
    db.exec(`create table t (i integer, r real, s text, b blob, n numeric, x);
      insert into t values (14, 1.5, '14', x'3134', 14, 14), (1, 2.0, 'abc', x'00', '1', 'abc'), (null, null, null, null, null, null)`);
    const values = [14, '14', 1.5, '1.5', 'abc', null, Buffer.from('14'), 14n, 1, '1', 2, '2.0', Buffer.from([0])];
    for (const col of ['i', 'r', 's', 'b', 'n', 'x']) {
      for (const v of values) {
        for (const op of ['=', '<>', '<', '>=']) {
          const bare = db.prepare(`select rowid, ${col} ${op} ? as e from t order by rowid`).all(v);
          const plus = db.prepare(unpeekParameters(`select rowid, ${col} ${op} ? as e from t order by rowid`)).all(v);
          assert.deepEqual(plus, bare, `${col} ${op} ${String(v)}`);
        }
      }
    }
  } finally {
    db.close();
  }
});

test('the SQLite statement cache reuses statements, survives streaming and schema changes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-conn-'));
  const sqlite = new SQLite(path.join(dir, 'test.db'));
  const cached = cachingSqlite(sqlite, 3);
  const db = new Kysely<{ t: { id: number; name: string } }>({ dialect: new SqliteDialect({ database: cached }) });
  try {
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    await db
      .insertInto('t')
      .values([
        { id: 1, name: 'one' },
        { id: 2, name: 'two' },
        { id: 3, name: 'three' },
      ])
      .execute();
    const byId = (id: number) => db.selectFrom('t').select('name').where('id', '=', id).executeTakeFirst();
    assert.deepEqual(await byId(1), { name: 'one' });
    assert.deepEqual(await byId(2), { name: 'two' }, 'a reused statement takes the new parameter');
    assert.ok(cached.cachedStatements <= 3, 'the cache is bounded');

    // While a statement is being iterated (a stream), the same SQL gets a statement of its own.
    const text = 'select name from t order by id';
    const names: string[] = [];
    for (const row of cached.prepare(text).iterate([]) as Iterable<{ name: string }>) {
      names.push(row.name, ...(cached.prepare(text).all([]) as { name: string }[]).map((r) => r.name.toUpperCase()));
    }
    assert.deepEqual(names.slice(0, 4), ['one', 'ONE', 'TWO', 'THREE']);
    assert.equal(names.length, 12);
    const streamed: string[] = [];
    for await (const row of db.selectFrom('t').select('name').orderBy('id').stream()) streamed.push(row.name);
    assert.deepEqual(streamed, ['one', 'two', 'three']);

    // Columns added after a `select *` was cached show up in its rows.
    const all = () => db.selectFrom('t').selectAll().where('id', '=', 1).executeTakeFirst();
    assert.deepEqual(await all(), { id: 1, name: 'one' });
    await sql`alter table t add column extra text not null default 'x'`.execute(db);
    assert.deepEqual(await all(), { id: 1, name: 'one', extra: 'x' });
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
