import crypto from 'node:crypto';
import { toDbTime } from '#db';
import * as q from '../queries.ts';
import type { NewsletterDeps } from '../service.ts';
import { applyBounce, subscriberIdByEmail, type BounceOutcome } from '../suppression.ts';
import type { BounceFinding } from './types.ts';

export type IngestSummary = Record<BounceOutcome, number>;

/**
 * Applies bounce findings: each is matched to a subscriber by the Message-ID of our
 * original message when the report quotes it (that also names the edition), else by
 * address. Findings that match nobody, or are not failures, change nothing.
 */
export async function ingestFindings(
  deps: Pick<NewsletterDeps, 'db' | 'clock'>,
  findings: readonly BounceFinding[],
): Promise<IngestSummary> {
  const summary: IngestSummary = { suppressed: 0, counted: 0, ignored: 0, unknown: 0 };
  for (const f of findings) {
    if (f.kind === null || f.kind === 'auto-reply') {
      summary.ignored++;
      continue;
    }
    const k = deps.db.kysely;
    const delivery = f.messageId
      ? await k
          .selectFrom('deliveries')
          .select(['subscriber_id', 'edition_id'])
          .where('message_id', '=', f.messageId)
          .executeTakeFirst()
      : undefined;
    const subscriberId = delivery?.subscriber_id ?? (f.email ? await subscriberIdByEmail(k, f.email) : null);
    if (subscriberId === null) {
      summary.unknown++;
      continue;
    }
    const outcome = await applyBounce(deps, subscriberId, {
      kind: f.kind,
      source: f.source,
      detail: f.detail,
      editionId: delivery?.edition_id ?? null,
    });
    summary[outcome]++;
  }
  return summary;
}

const SECRET_KEY = 'newsletter.bounce-webhook';

/** The secret path segment of the bounce webhook URL, created on first use. */
export async function bounceWebhookSecret(deps: Pick<NewsletterDeps, 'db' | 'clock'>): Promise<string> {
  return q.ensureSecret(
    deps.db.kysely,
    SECRET_KEY,
    crypto.randomBytes(24).toString('base64url'),
    toDbTime(deps.clock.now()),
  );
}

/** Replaces the webhook secret: the old URL stops working at once. */
export async function rotateBounceWebhookSecret(deps: Pick<NewsletterDeps, 'db' | 'clock'>): Promise<string> {
  const fresh = crypto.randomBytes(24).toString('base64url');
  const now = toDbTime(deps.clock.now());
  await deps.db.kysely.deleteFrom('secrets').where('key', '=', SECRET_KEY).execute();
  return q.ensureSecret(deps.db.kysely, SECRET_KEY, fresh, now);
}

/** Constant-time comparison of a presented secret with ours. */
export async function isBounceWebhookSecret(
  deps: Pick<NewsletterDeps, 'db' | 'clock'>,
  presented: string,
): Promise<boolean> {
  const ours = Buffer.from(await bounceWebhookSecret(deps));
  const given = Buffer.from(presented);
  return given.length === ours.length && crypto.timingSafeEqual(given, ours);
}
