import type { Db } from '#db';
import { toDbTime } from '#db';
import type { JobQueue } from '#jobs';
import type { Clock } from '#lib/clock.ts';
import { AppError } from '#lib/errors.ts';
import { enqueueMail, type Mailer } from '#mail';
import { getCurrentPrivacyPolicy, getSettings, type SettingsDeps } from '#settings';
import { parseEmail, parseSource, type SignupCommand } from './commands.ts';
import { confirmationMessage } from './messages.ts';
import * as q from './queries.ts';
import { recordSubscriberEvent } from './suppression.ts';
import { hashToken, hmacKey, isPlausibleConfirmToken, manageToken, newConfirmToken, throttleKey } from './tokens.ts';
import { PURGE_PENDING_JOB } from './jobs.ts';

export interface NewsletterDeps {
  db: Db;
  clock: Clock;
  jobs: JobQueue;
  mailer: Mailer;
  settings: SettingsDeps;
  /** The address our mail comes from; its domain takes the mailto unsubscribe address. */
  fromAddress: string;
}

export const PENDING_MAX_AGE_MS = 7 * 24 * 3_600_000;
export const CONFIRM_TTL_MS = 48 * 3_600_000;
export const THROTTLE_WINDOW_MS = 3_600_000;
/** Signups per network per hour, and per address per hour (each one sends a mail). */
export const IP_SIGNUPS = 10;
export const ADDRESS_SIGNUPS = 3;

const THROTTLED = () =>
  new AppError(429, 'NEWSLETTER_THROTTLED', 'Too many signup attempts. Please wait an hour and try again.');
export const LINK_INVALID = () =>
  new AppError(
    400,
    'NEWSLETTER_LINK_INVALID',
    'This link has expired or was already used. Sign up again to get a new one.',
  );

/**
 * Signs an address up: a pending subscriber with consent recorded and a confirmation mail.
 * The caller answers the same way whatever happened (new, pending, active or suppressed
 * address, or a bot caught by the honeypot), so the form reveals nobody's subscription.
 */
export async function signUp(deps: NewsletterDeps, cmd: SignupCommand): Promise<void> {
  // A filled honeypot is a bot: pretend success and store nothing.
  if (typeof cmd.honeypot !== 'string' || cmd.honeypot !== '') return;
  const now = deps.clock.now();
  const nowDb = toDbTime(now);
  const k = deps.db.kysely;
  const key = await hmacKey(k, nowDb);
  const windowStart = toDbTime(new Date(now.getTime() - THROTTLE_WINDOW_MS));
  if ((await q.bumpThrottle(k, throttleKey(key, 'ip', cmd.ip), nowDb, windowStart)) > IP_SIGNUPS) throw THROTTLED();
  const email = parseEmail(cmd.email);
  if ((await q.bumpThrottle(k, throttleKey(key, 'addr', email), nowDb, windowStart)) > ADDRESS_SIGNUPS)
    throw THROTTLED();

  const policy = await getCurrentPrivacyPolicy(deps.settings);
  const consent = { consentAt: nowDb, policyVersion: policy?.version ?? null, source: parseSource(cmd.source) };
  const settings = await getSettings(deps.settings);
  const sent = await k.transaction().execute(async (trx) => {
    let id = await q.insertPendingSubscriber(trx, { email, ...consent, now: nowDb });
    if (id === null) {
      const existing = await q.findSubscriberByEmail(trx, email);
      // Active addresses need nothing; bounced and complained ones stay suppressed.
      if (!existing || (existing.status !== 'pending' && existing.status !== 'unsubscribed')) return false;
      id = existing.id;
      await q.recordConsent(trx, id, consent);
    }
    const t = newConfirmToken();
    await q.insertToken(trx, {
      hash: t.hash,
      subscriberId: id,
      purpose: 'confirm',
      expiresAt: toDbTime(new Date(now.getTime() + CONFIRM_TTL_MS)),
      now: nowDb,
    });
    await enqueueMail(deps, confirmationMessage(settings, email, t.token), { trx });
    // Unconfirmed after 7 days: the purge job removes the row (rescheduled by each new signup).
    await deps.jobs.enqueue(
      PURGE_PENDING_JOB,
      {},
      {
        trx,
        uniqueKey: `${PURGE_PENDING_JOB.type}:${id}`,
        runAt: new Date(now.getTime() + PENDING_MAX_AGE_MS + 60_000),
      },
    );
    return true;
  });
  if (sent) deps.jobs.notify();
}

/** Whether a confirmation link is still good (for the page that asks to confirm); uses nothing up. */
export async function isConfirmationValid(deps: NewsletterDeps, token: string): Promise<boolean> {
  if (!isPlausibleConfirmToken(token)) return false;
  const t = await q.findToken(deps.db.kysely, hashToken(token));
  return t !== null && t.purpose === 'confirm' && t.expires_at > toDbTime(deps.clock.now());
}

/** Confirms a subscription from its emailed link; the token works once, within 48 hours. Returns a self-service token. */
export async function confirmSubscription(deps: NewsletterDeps, token: string): Promise<{ manageToken: string }> {
  if (!isPlausibleConfirmToken(token)) throw LINK_INVALID();
  const nowDb = toDbTime(deps.clock.now());
  const id = await deps.db.kysely.transaction().execute(async (trx) => {
    const t = await q.takeToken(trx, hashToken(token));
    if (!t || t.purpose !== 'confirm' || t.expires_at <= nowDb) return null;
    const ok = await q.setStatus(trx, t.subscriber_id, ['pending', 'unsubscribed'], 'active', nowDb, {
      confirmed_at: nowDb,
      unsubscribed_at: null,
    });
    if (ok) {
      await recordSubscriberEvent(trx, { subscriberId: t.subscriber_id, kind: 'confirmed', now: nowDb });
      return t.subscriber_id;
    }
    const s = await q.findSubscriberById(trx, t.subscriber_id);
    return s?.status === 'active' ? s.id : null;
  });
  // An expired token is deleted all the same: a second try fails the same way.
  if (id === null) throw LINK_INVALID();
  return { manageToken: manageToken(await hmacKey(deps.db.kysely, nowDb), id) };
}

/** Removes pending subscribers nobody confirmed within 7 days, expired tokens and old throttle rows. */
export async function purgePending(deps: Pick<NewsletterDeps, 'db' | 'clock'>): Promise<number> {
  const now = deps.clock.now();
  const k = deps.db.kysely;
  const n = await q.deletePendingBefore(k, toDbTime(new Date(now.getTime() - PENDING_MAX_AGE_MS)));
  await q.deleteExpiredTokens(k, toDbTime(now));
  await q.deleteThrottleBefore(k, toDbTime(new Date(now.getTime() - 24 * 3_600_000)));
  return n;
}
