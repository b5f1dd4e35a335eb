import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '#db';
import * as q from './queries.ts';

const SECRET_KEY = 'newsletter.hmac';
const MAC_LENGTH = 32; // base64url characters: 192 bits
const keys = new WeakMap<object, Promise<Buffer>>();

/** The server's HMAC key for newsletter links, generated once per installation and kept in `secrets`. */
export function hmacKey(db: Kysely<Database>, now: string): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = q
      .ensureSecret(db, SECRET_KEY, crypto.randomBytes(32).toString('base64url'), now)
      .then((v) => Buffer.from(v, 'base64url'));
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

function mac(key: Buffer, message: string): string {
  return crypto.createHmac('sha256', key).update(message).digest('base64url').slice(0, MAC_LENGTH);
}

/**
 * A self-service token: the subscriber's row id and an HMAC of it. It holds no address, and
 * needs no storage, so the delivery engine can put one in every message; erasing the row
 * kills it (ids are never reused).
 */
export function manageToken(key: Buffer, subscriberId: number): string {
  return `${subscriberId}.${mac(key, `manage:${subscriberId}`)}`;
}

/** The subscriber id a self-service token names, or null if it is malformed or forged. */
export function verifyManageToken(key: Buffer, token: string): number | null {
  const m = /^([1-9][0-9]{0,14})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m?.[1] || !m[2]) return null;
  const id = Number(m[1]);
  const expected = Buffer.from(mac(key, `manage:${id}`));
  const given = Buffer.from(m[2]);
  return crypto.timingSafeEqual(expected, given) ? id : null;
}

/** A random single-use token for a confirmation link, and the hash we store instead. */
export function newConfirmToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function isPlausibleConfirmToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** A throttle key that names a network or address without storing it. */
export function throttleKey(key: Buffer, kind: 'ip' | 'addr', value: string): string {
  return `${kind}:${mac(key, `throttle:${kind}:${value}`)}`;
}
