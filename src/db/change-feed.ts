import type pg from 'pg';
import type { Db } from './connection.ts';

const CHANNEL = 'masthead_content';

/**
 * Tells every process that public content changed, so each drops its rendered pages.
 * Listeners in the publishing process hear at once. Other processes hear through the
 * database:
 * - On PostgreSQL, through LISTEN/NOTIFY, plus a slow poll of the content version in case
 *   a notification was lost while the listening connection was down.
 * - On SQLite, by polling the content version every second, a one-row read: a
 *   `masthead worker` beside `serve` publishes scheduled articles and finishes editions.
 */
export interface ChangeFeed {
  /** Announce a committed change: here at once; other processes hear of it by NOTIFY (PostgreSQL) or by the version poll. */
  publish(): void;
  subscribe(listener: () => void): void;
  close(): Promise<void>;
}

export async function createChangeFeed(db: Db, opts: { pollMs?: number } = {}): Promise<ChangeFeed> {
  const listeners = new Set<() => void>();
  const fire = () => {
    for (const l of listeners) l();
  };
  const readVersion = async () => {
    const r = await db.kysely.selectFrom('site_state').select('content_version').where('id', '=', 1).executeTakeFirst();
    return r?.content_version ?? 0;
  };
  let lastVersion = -1;
  /** Fires when the stored version moved since the last look (another process changed content). */
  const startPolling = (ms: number) => {
    const timer = setInterval(() => {
      readVersion()
        .then((v) => {
          if (v !== lastVersion) {
            lastVersion = v;
            fire();
          }
        })
        .catch(() => {});
    }, ms);
    timer.unref();
    return timer;
  };

  if (db.dialect !== 'postgres' || !db.pgPool) {
    lastVersion = await readVersion().catch(() => -1);
    // A change made here fires at once and again, harmlessly, when the poll sees it.
    const poll = startPolling(opts.pollMs ?? 1000);
    return { publish: fire, subscribe: (l) => void listeners.add(l), close: async () => clearInterval(poll) };
  }
  const pool = db.pgPool;
  let client: pg.PoolClient | null = null;
  let closed = false;
  const connect = async () => {
    try {
      client = await pool.connect();
      client.on('notification', (msg) => {
        if (msg.channel === CHANNEL) fire();
      });
      const own = client;
      client.on('error', () => {
        if (client !== own) return; // closed, or replaced since
        own.release(true);
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
  const poll = startPolling(opts.pollMs ?? 10_000);

  return {
    publish() {
      fire();
      pool.query(`NOTIFY ${CHANNEL}`).catch(() => {});
    },
    subscribe: (l) => void listeners.add(l),
    async close() {
      closed = true;
      clearInterval(poll);
      // The connection may fail while UNLISTEN waits (its error handler then releases it and
      // clears `client`), so this works on the client it started with and releases it once.
      const listening = client;
      client = null;
      if (listening) {
        const ok = await listening.query(`UNLISTEN ${CHANNEL}`).then(
          () => true,
          () => false,
        );
        // A connection whose UNLISTEN failed is broken: destroy it rather than pool it.
        try {
          listening.release(!ok);
        } catch {
          // Already released by its error handler.
        }
      }
    },
  };
}
