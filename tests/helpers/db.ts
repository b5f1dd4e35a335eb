import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate, openDatabase, type Db, type DatabaseTarget, type DialectName } from '#db';
import { migrations } from '../../src/db/migrations/index.ts';

/**
 * Databases for tests: a fresh one per call, copied from a migrated template (a file copy
 * on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so each test file starts clean.
 *
 * PostgreSQL is used when MASTHEAD_TEST_PG_URL names a server we may create databases on
 * (e.g. postgres://postgres@127.0.0.1:5432/test). scripts/test.ts sets it in CI.
 */
export const pgUrl = process.env.MASTHEAD_TEST_PG_URL;

export const dialects: DialectName[] = pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb {
  db: Db;
  target: DatabaseTarget;
  dir: string;
  cleanup(): Promise<void>;
}

const schemaHash = crypto
  .createHash('sha1')
  .update(migrations.map((m) => m.id + m.up.toString()).join('\n'))
  .digest('hex')
  .slice(0, 10);

let sqliteTemplate: Promise<string> | null = null;

function makeSqliteTemplate(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-tpl-'));
    const file = path.join(dir, 'template.db');
    const db = openDatabase({ kind: 'sqlite', file });
    await migrate(db);
    await db.close(); // closing checkpoints the WAL into the main file
    return file;
  })();
  return sqliteTemplate;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function ensurePgTemplate(admin: pg.Client, url: string): Promise<string> {
  const name = `masthead_tpl_${schemaHash}`;
  // Test files run in parallel processes: one builds the template, the others wait.
  await admin.query('select pg_advisory_lock(727002)');
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      await admin.query(`create database ${name}`);
      const db = openDatabase({ kind: 'postgres', url: withDatabase(url, name), poolMax: 2 });
      try {
        await migrate(db);
      } catch (err) {
        await db.close();
        await admin.query(`drop database if exists ${name}`);
        throw err;
      }
      await db.close();
    }
  } finally {
    await admin.query('select pg_advisory_unlock(727002)');
  }
  return name;
}

export async function createTestDb(dialect: DialectName): Promise<TestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-test-'));
  if (dialect === 'sqlite') {
    const file = path.join(dir, 'masthead.db');
    fs.copyFileSync(await makeSqliteTemplate(), file);
    const target: DatabaseTarget = { kind: 'sqlite', file };
    const db = openDatabase(target);
    return {
      db,
      target,
      dir,
      cleanup: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!pgUrl) throw new Error('MASTHEAD_TEST_PG_URL is not set');
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const name = `masthead_t_${crypto.randomBytes(6).toString('hex')}`;
  try {
    const template = await ensurePgTemplate(admin, pgUrl);
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const target: DatabaseTarget = { kind: 'postgres', url: withDatabase(pgUrl, name), poolMax: 5 };
  const db = openDatabase(target);
  return {
    db,
    target,
    dir,
    cleanup: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: pgUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
