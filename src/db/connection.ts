import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.ts';

// node-postgres is loaded when a PostgreSQL database is opened, not before: a SQLite install
// (the default) never pays its start-up time and memory (about 10 MB of RSS).
const require = createRequire(import.meta.url);
let pgModule: typeof pg | undefined;
const loadPg = (): typeof pg => (pgModule ??= require('pg') as typeof pg);

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** For PostgreSQL LISTEN/NOTIFY; absent on SQLite. */
  pgPool?: pg.Pool;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'sqlite'; file: string }
  | {
      kind: 'postgres';
      url: string;
      poolMax?: number;
      /** How long to wait for a connection (default 5 s). */
      connectTimeoutMs?: number;
      /** How long one statement may run (default 15 s). */
      statementTimeoutMs?: number;
    };

// Normalisation, done once for the whole program: PostgreSQL hands back timestamps as
// Date objects and int8 as strings; SQLite has neither. We make both return ISO strings
// for timestamps and numbers for int8 (our ids and counts fit in 2^53).
const PG_INT8 = 20;
const PG_TIMESTAMPTZ = 1184;
const PG_TIMESTAMP = 1114;
const PG_DATE = 1082;
const pgTypes = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === PG_INT8) return (v: string) => Number(v);
    if (oid === PG_TIMESTAMPTZ || oid === PG_TIMESTAMP)
      return (v: string) => new Date(v.includes('+') || v.endsWith('Z') ? v : `${v}Z`).toISOString();
    if (oid === PG_DATE) return (v: string) => v;
    return loadPg().types.getTypeParser(oid, format as 'text');
  },
};

/** Prepared statements kept per SQLite connection, least recently used dropped first. */
export const STATEMENT_CACHE_SIZE = 500;

// Statements that change the schema: never cached, and they empty the cache (SQLite
// re-prepares stale statements by itself; this only keeps dropped objects from lingering).
const SCHEMA_CHANGE = /^\s*(?:create|alter|drop)\b/i;

const SELECT = /^\s*\(?\s*select\b/i;
// Quoted strings and identifiers, and comments: left exactly as they are.
const QUOTED = /('(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|--[^\n]*|\/\*[\s\S]*?\*\/)/;
// A bare `?` compared with something, or as LIMIT / OFFSET.
const PEEKED_PARAMETER = /((?<![<>!=])(?:<=|>=|<>|!=|==|=|<|>)\s*|\b(?:limit|offset)\s+)\?(?![\d\w])/gi;

/**
 * SELECT text with every bare parameter that SQLite's planner would peek at written as
 * `+?`. The SQLite in better-sqlite3 (3.54) reads the value bound to `column = ?`,
 * `column <> ?`, `LIMIT ?`… while planning and then marks the statement to be prepared
 * again whenever that parameter is rebound, so a cached statement was re-prepared (and its
 * row builder recompiled) on every execution: 3–4 times the cost of running it. Unary `+`
 * yields the same value without affinity, exactly as a bare parameter has none, so
 * comparisons, index use and results are unchanged; only the peeking stops. (Without
 * ANALYZE statistics, which Masthead never gathers, the peeked values only fed rough row
 * estimates.) Other statements are returned as they are: in an UPDATE's SET, say, `= ?`
 * is an assignment, not a comparison.
 */
export function unpeekParameters(sql: string): string {
  if (!SELECT.test(sql) || !sql.includes('?')) return sql;
  const parts = sql.split(QUOTED);
  for (let i = 0; i < parts.length; i += 2) parts[i] = parts[i]!.replace(PEEKED_PARAMETER, '$1+?');
  return parts.join('');
}

/**
 * better-sqlite3 with a bounded cache of prepared statements per SQL text, for Kysely's
 * SqliteDialect (which prepares every query anew). Preparing costs more CPU than running
 * most of our queries, and every prepared statement holds native memory V8 does not see
 * until its wrapper is collected, which bloats RSS under load. A statement is reusable
 * once it has run; one still being iterated (`busy`, a streamed query) is not handed out
 * again: such a caller gets a fresh, uncached statement.
 */
export function cachingSqlite(
  sqlite: SQLite.Database,
  maxStatements = STATEMENT_CACHE_SIZE,
): SqliteDatabase & { readonly cachedStatements: number } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    get cachedStatements() {
      return cache.size;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit) {
        if (hit.busy) return sqlite.prepare(unpeekParameters(sql));
        // Least recently used order (a hit moves to the end), kept only once eviction is
        // near: until then it would be two more Map operations on every query.
        if (cache.size > maxStatements / 2) {
          cache.delete(sql);
          cache.set(sql, hit);
        }
        return hit;
      }
      if (SCHEMA_CHANGE.test(sql)) {
        cache.clear();
        return sqlite.prepare(sql);
      }
      const stmt = sqlite.prepare(unpeekParameters(sql));
      cache.set(sql, stmt);
      if (cache.size > maxStatements) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return stmt;
    },
  };
}

/** Opens the database named by the target; does not migrate. */
export function openDatabase(target: DatabaseTarget): Db {
  if (target.kind === 'sqlite') {
    fs.mkdirSync(path.dirname(target.file), { recursive: true });
    const sqlite = new SQLite(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingSqlite(sqlite) }) });
    return {
      kysely,
      dialect: 'sqlite',
      close: async () => {
        await kysely.destroy();
      },
    };
  }
  // Every wait is bounded: a database that stops answering (frozen, partitioned, restarting)
  // turns into errors the app answers with 503 instead of requests that hang for ever. The
  // server enforces statement_timeout on a live connection; query_timeout is the client's
  // own limit for a server that no longer answers at all, so it is a little longer.
  const statementMs = target.statementTimeoutMs ?? 15_000;
  const pool = new (loadPg().Pool)({
    connectionString: target.url,
    max: target.poolMax ?? 10,
    types: pgTypes,
    connectionTimeoutMillis: target.connectTimeoutMs ?? 5_000,
    statement_timeout: statementMs,
    query_timeout: statementMs + 2_000,
    keepAlive: true,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: 'postgres',
    pgPool: pool,
    close: async () => {
      await kysely.destroy();
    },
  };
}
