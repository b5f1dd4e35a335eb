import crypto from 'node:crypto';

/** Idle and absolute limits of a staff session. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 3_600_000;
/** Changing email, password or 2FA needs a password entered this recently. */
export const REAUTH_WINDOW_MS = 10 * 60_000;

/** A new random token for a cookie or an emailed link, and the hash we store instead. */
export function newToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function isPlausibleToken(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);
}
