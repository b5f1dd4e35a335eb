import type pg from 'pg';
import type { Db } from './connection.ts';

const CHANNEL = 'masthead_content';

/**
 * Tells every process that public content changed, so each drops its rendered pages.
 * SQLite runs in one process, so local listeners are enough there; PostgreSQL adds
 * LISTEN/NOTIFY across processes, plus a slow poll of the content version in case a
 * notification was lost while the listening connection was down.
 */
export interface ChangeFeed {
  /** Announce a committed change (locally at once, to other processes via NOTIFY). */
  publish(): void;
  subscribe(listener: () => void): void;
  close(): Promise<void>;
}

export async function createChangeFeed(db: Db, opts: { pollMs?: number } = {}): Promise<ChangeFeed> {
  const listeners = new Set<() => void>();
  const fire = () => {
    for (const l of listeners) l();
  };
  if (db.dialect !== 'postgres' || !db.pgPool) {
    return { publish: fire, subscribe: (l) => void listeners.add(l), close: async () => {} };
  }
  const pool = db.pgPool;
  let client: pg.PoolClient | null = null;
  let closed = false;
  let lastVersion = -1;

  const readVersion = async () => {
    const r = await db.kysely.selectFrom('site_state').select('content_version').where('id', '=', 1).executeTakeFirst();
    return r?.content_version ?? 0;
  };
  const connect = async () => {
    try {
      client = await pool.connect();
      client.on('notification', (msg) => {
        if (msg.channel === CHANNEL) fire();
      });
      client.on('error', () => {
        client?.release(true);
        client = null;
        if (!closed) setTimeout(() => void connect(), 1000).unref();
      });
      await client.query(`LISTEN ${CHANNEL}`);
    } catch {
      client?.release(true);
      client = null;
      if (!closed) setTimeout(() => void connect(), 1000).unref();
    }
  };
  await connect();
  lastVersion = await readVersion().catch(() => -1);
  const poll = setInterval(() => {
    readVersion()
      .then((v) => {
        if (v !== lastVersion) {
          lastVersion = v;
          fire();
        }
      })
      .catch(() => {});
  }, opts.pollMs ?? 10_000);
  poll.unref();

  return {
    publish() {
      fire();
      pool.query(`NOTIFY ${CHANNEL}`).catch(() => {});
    },
    subscribe: (l) => void listeners.add(l),
    async close() {
      closed = true;
      clearInterval(poll);
      if (client) {
        await client.query(`UNLISTEN ${CHANNEL}`).catch(() => {});
        client.release();
        client = null;
      }
    },
  };
}
