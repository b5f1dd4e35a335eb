import type { SubscriberStatus } from '#db';
import { toDbTime } from '#db';
import { NotFoundError } from '#lib/errors.ts';
import { getSettings } from '#settings';
import * as q from './queries.ts';
import { recordSubscriberEvent } from './suppression.ts';
import type { NewsletterDeps } from './service.ts';
import { hmacKey, manageToken, verifyManageToken } from './tokens.ts';

/** A subscriber as the self-service pages see it. */
export interface Subscriber {
  id: number;
  email: string;
  status: SubscriberStatus;
  consentAt: string;
  policyVersion: number | null;
  source: string | null;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

function toSubscriber(r: q.SubscriberRow): Subscriber {
  return {
    id: r.id,
    email: r.email,
    status: r.status,
    consentAt: r.consent_at,
    policyVersion: r.policy_version,
    source: r.source,
    confirmedAt: r.confirmed_at,
    unsubscribedAt: r.unsubscribed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const LINK_UNKNOWN = () =>
  new NotFoundError(
    'NEWSLETTER_LINK_UNKNOWN',
    'This link is not valid. If you copied it from an email, check that it is complete.',
  );

async function verifiedId(deps: NewsletterDeps, token: string): Promise<number | null> {
  return verifyManageToken(await hmacKey(deps.db.kysely, toDbTime(deps.clock.now())), token);
}

/** The subscriber a self-service link names; NotFound if the link is forged or the row was erased. */
export async function getSubscriberByToken(deps: NewsletterDeps, token: string): Promise<Subscriber> {
  const id = await verifiedId(deps, token);
  const row = id === null ? null : await q.findSubscriberById(deps.db.kysely, id);
  if (!row) throw LINK_UNKNOWN();
  return toSubscriber(row);
}

/**
 * Unsubscribes at once (one-click or the manage page). Returns false for a forged link;
 * an erased subscriber counts as unsubscribed, so repeats and late clicks succeed.
 */
export async function unsubscribeByToken(deps: NewsletterDeps, token: string): Promise<boolean> {
  const id = await verifiedId(deps, token);
  if (id === null) return false;
  const now = toDbTime(deps.clock.now());
  await deps.db.kysely.transaction().execute(async (trx) => {
    if (!(await q.setStatus(trx, id, ['active', 'pending'], 'unsubscribed', now, { unsubscribed_at: now }))) return;
    // Counted against the last edition this reader was sent, for the per-edition figures.
    const editionId = await q.lastEditionSentTo(trx, id);
    await recordSubscriberEvent(trx, { subscriberId: id, kind: 'unsubscribed', editionId, now });
  });
  return true;
}

/** Resubscribes from the manage page: the link proves the mailbox, so no new confirmation is needed. */
export async function resubscribeByToken(deps: NewsletterDeps, token: string): Promise<void> {
  const s = await getSubscriberByToken(deps, token);
  const now = toDbTime(deps.clock.now());
  await deps.db.kysely.transaction().execute(async (trx) => {
    if (
      await q.setStatus(trx, s.id, ['unsubscribed'], 'active', now, {
        unsubscribed_at: null,
        ...(s.confirmedAt ? {} : { confirmed_at: now }),
      })
    ) {
      await recordSubscriberEvent(trx, { subscriberId: s.id, kind: 'resubscribed', now });
    }
  });
}

/** Everything we hold about a subscriber, for "download my data". */
export async function exportSubscriberData(deps: NewsletterDeps, token: string): Promise<Record<string, unknown>> {
  const s = await getSubscriberByToken(deps, token);
  const settings = await getSettings(deps.settings);
  return {
    publication: settings.name,
    email: s.email,
    status: s.status,
    consent: { at: s.consentAt, privacyPolicyVersion: s.policyVersion, source: s.source },
    confirmedAt: s.confirmedAt,
    unsubscribedAt: s.unsubscribedAt,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/**
 * Erases a subscriber: the row and its tokens are deleted. Their history events and
 * delivery records lose the link to them (set null) and stay only as anonymous counts.
 */
export async function eraseSubscriber(deps: NewsletterDeps, token: string): Promise<void> {
  const s = await getSubscriberByToken(deps, token);
  const now = toDbTime(deps.clock.now());
  await deps.db.kysely.transaction().execute(async (trx) => {
    if (await q.deleteSubscriber(trx, s.id))
      await recordSubscriberEvent(trx, { subscriberId: null, kind: 'erased', now });
  });
}

/** The self-service token of a subscriber, for links in messages. */
export async function subscriberToken(deps: NewsletterDeps, subscriber: { id: number }): Promise<string> {
  return manageToken(await hmacKey(deps.db.kysely, toDbTime(deps.clock.now())), subscriber.id);
}

/**
 * RFC 8058 headers for a message to this subscriber: an HTTPS one-click address and a
 * mailto one; neither contains the address.
 */
export async function listUnsubscribeHeaders(
  deps: NewsletterDeps,
  subscriber: { id: number },
): Promise<Record<string, string>> {
  const token = await subscriberToken(deps, subscriber);
  const settings = await getSettings(deps.settings);
  const domain = deps.fromAddress.slice(deps.fromAddress.lastIndexOf('@') + 1);
  return {
    'List-Unsubscribe': `<${settings.baseUrl}/newsletter/unsubscribe/${token}>, <mailto:unsubscribe+${token}@${domain}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
