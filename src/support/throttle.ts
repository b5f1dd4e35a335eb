import { toDbTime } from '#db';
import { AppError } from '#lib/errors.ts';
import type { SupportDeps } from './deps.ts';
import { CLEANUP_JOB } from './jobs.ts';
import * as q from './queries.ts';
import { hmac, installationKey } from './secrets.ts';

/** Limits per window. Checkout limits stop card testing; link and reminder limits stop mail bombing. */
export const LIMITS = {
  checkoutPerNetwork: { count: 10, windowMs: 3_600_000 },
  checkoutGlobal: { count: 300, windowMs: 3_600_000 },
  linksPerNetwork: { count: 10, windowMs: 3_600_000 },
  linksPerAddress: { count: 3, windowMs: 3_600_000 },
  remindersPerNetwork: { count: 10, windowMs: 3_600_000 },
} as const;

export type LimitName = keyof typeof LIMITS;

export class ThrottledError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'SUPPORT_THROTTLED', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Counts one attempt against a limit and throws ThrottledError past it. Keys are HMACs of
 * the network or address, so the table never holds an IP or an email.
 */
export async function throttle(
  deps: Pick<SupportDeps, 'db' | 'clock' | 'checkoutLimits' | 'jobs'>,
  name: LimitName,
  subject: string,
  message: string,
): Promise<void> {
  const configured =
    name === 'checkoutPerNetwork'
      ? deps.checkoutLimits?.perNetwork
      : name === 'checkoutGlobal'
        ? deps.checkoutLimits?.global
        : undefined;
  const limit = configured === undefined ? LIMITS[name] : { ...LIMITS[name], count: configured };
  const now = deps.clock.now();
  const key = `${name}:${hmac(await installationKey(deps.db.kysely, 'throttle-key', now), `${name}:${subject}`)}`;
  const count = await q.bumpThrottle(
    deps.db.kysely,
    key,
    toDbTime(now),
    toDbTime(new Date(now.getTime() - limit.windowMs)),
  );
  // A new window: make sure stale windows and expired links get swept (at the next full hour;
  // the unique key keeps one waiting sweep however many windows open).
  if (count === 1) {
    const at = new Date(Math.ceil((now.getTime() + 1) / 3_600_000) * 3_600_000);
    await deps.jobs.enqueue(CLEANUP_JOB, {}, { uniqueKey: CLEANUP_JOB.type, runAt: at });
  }
  if (count > limit.count) throw new ThrottledError(message, Math.ceil(limit.windowMs / 1000));
}

/** The work of a `support.cleanup` job: sweeps throttle windows older than a day and expired magic links and manage sessions. */
export async function sweepExpired(deps: Pick<SupportDeps, 'db'>, now: Date): Promise<void> {
  await q.deleteThrottleBefore(deps.db.kysely, toDbTime(new Date(now.getTime() - 24 * 3_600_000)));
  await q.deleteExpiredTokens(deps.db.kysely, toDbTime(now));
}
