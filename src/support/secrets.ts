import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { toDbTime, type Database } from '#db';

const cache = new WeakMap<object, Map<string, Promise<Buffer>>>();

/** A random key generated once per installation and kept in `support_settings` (never shown). */
export function installationKey(db: Kysely<Database>, name: string, now: Date): Promise<Buffer> {
  let byName = cache.get(db);
  if (!byName) cache.set(db, (byName = new Map()));
  let key = byName.get(name);
  if (!key) {
    const fresh = crypto.randomBytes(32).toString('base64url');
    key = (async () => {
      await db
        .insertInto('support_settings')
        .values({ key: name, value: fresh, updated_at: toDbTime(now) })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const row = await db
        .selectFrom('support_settings')
        .select('value')
        .where('key', '=', name)
        .executeTakeFirstOrThrow();
      return Buffer.from(row.value, 'base64url');
    })();
    key.catch(() => byName.delete(name));
    byName.set(name, key);
  }
  return key;
}

export function hmac(key: Buffer, message: string): string {
  return crypto.createHmac('sha256', key).update(message).digest('base64url').slice(0, 32);
}

export function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

export function randomToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export const isPlausibleToken = (t: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(t);
