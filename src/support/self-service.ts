import { toDbTime } from '#db';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '#lib/errors.ts';
import { enqueueMail, parseEmail as parseAddress } from '#mail';
import { getSettings } from '#settings';
import { getAppealSettings } from './appeal-settings.ts';
import { parseCheckoutForm } from './checkout.ts';
import type { SupportDeps } from './deps.ts';
import { changeConfirmationMessage, manageLinkMessage, statementMessage } from './messages.ts';
import { formatWithPeriod, type Currency } from './money.ts';
import type { SubscriptionInfo } from './provider.ts';
import * as q from './queries.ts';
import { isPlausibleToken, randomToken, sha256 } from './secrets.ts';
import { throttle } from './throttle.ts';
import { FORGET_CUSTOMER_JOB } from './jobs.ts';

export const LINK_TTL_MS = 30 * 60_000;
export const SESSION_TTL_MS = 30 * 60_000;

export const LINK_INVALID = () =>
  new AppError(400, 'SUPPORT_LINK_INVALID', 'This link has expired or was already used. Ask for a new one.');
const SESSION_INVALID = () =>
  new AppError(401, 'SUPPORT_SESSION_INVALID', 'Your sign-in has expired. Ask for a new link.');

/** The address in its stored form when the mailer accepts it, else a ValidationError. */
export function parseEmail(raw: unknown): string {
  const email = parseAddress(raw);
  if (!email) {
    throw new ValidationError('SUPPORT_EMAIL_INVALID', 'Enter an email address like reader@example.org.', {
      email: 'Enter an email address like reader@example.org.',
    });
  }
  return email;
}

/**
 * "Manage my support": mails a single-use link (30 minutes) if the address belongs to a
 * supporter. The caller answers the same way either way, so nobody learns who gives.
 */
export async function requestManageLink(deps: SupportDeps, rawEmail: unknown, ip: string): Promise<void> {
  await throttle(
    deps,
    'linksPerNetwork',
    ip,
    'Too many requests from your network. Please wait an hour and try again.',
  );
  const email = parseEmail(rawEmail);
  await throttle(
    deps,
    'linksPerAddress',
    email,
    'Too many links were asked for this address. Please wait an hour and try again.',
  );
  const [supporter] = await q.listSupportersByEmail(deps.db.kysely, email);
  if (!supporter) return;
  const settings = await getSettings(deps.settings);
  const now = deps.clock.now();
  const token = randomToken();
  await deps.db.kysely.transaction().execute(async (trx) => {
    await q.insertToken(trx, {
      hash: sha256(token),
      supporterId: supporter.id,
      purpose: 'link',
      expiresAt: toDbTime(new Date(now.getTime() + LINK_TTL_MS)),
      now: toDbTime(now),
    });
    await enqueueMail(deps, manageLinkMessage(settings, email, token), { trx });
  });
  deps.jobs.notify();
}

/** Whether a magic link is still good (for the page with the button); uses nothing up. */
export async function isManageLinkValid(deps: SupportDeps, token: string): Promise<boolean> {
  if (!isPlausibleToken(token)) return false;
  const t = await q.findToken(deps.db.kysely, sha256(token));
  return t !== null && t.purpose === 'link' && t.expires_at > toDbTime(deps.clock.now());
}

/** Exchanges a magic link (once) for a manage session of 30 minutes; returns the session token. */
export async function openManageSession(deps: SupportDeps, linkToken: string): Promise<string> {
  if (!isPlausibleToken(linkToken)) throw LINK_INVALID();
  const now = deps.clock.now();
  const session = randomToken();
  const ok = await deps.db.kysely.transaction().execute(async (trx) => {
    const t = await q.takeToken(trx, sha256(linkToken));
    if (!t || t.purpose !== 'link' || t.expires_at <= toDbTime(now)) return false;
    await q.insertToken(trx, {
      hash: sha256(session),
      supporterId: t.supporter_id,
      purpose: 'session',
      expiresAt: toDbTime(new Date(now.getTime() + SESSION_TTL_MS)),
      now: toDbTime(now),
    });
    return true;
  });
  if (!ok) throw LINK_INVALID();
  return session;
}

export interface ManageView {
  email: string;
  plans: {
    id: number;
    status: string;
    frequency: 'month' | 'year';
    amount: number;
    currency: string;
    nextRenewalAt: string | null;
    canceledAt: string | null;
    customerKnown: boolean;
  }[];
  payments: { occurredAt: string; amount: number; currency: string; kind: string; frequency: string }[];
}

/** The supporter (all rows sharing the session's address) behind a manage session. */
async function sessionSupporter(deps: SupportDeps, sessionToken: string | undefined) {
  if (!sessionToken || !isPlausibleToken(sessionToken)) throw SESSION_INVALID();
  const t = await q.findToken(deps.db.kysely, sha256(sessionToken));
  if (!t || t.purpose !== 'session' || t.expires_at <= toDbTime(deps.clock.now())) throw SESSION_INVALID();
  const s = await q.findSupporterById(deps.db.kysely, t.supporter_id);
  if (!s?.email) throw SESSION_INVALID();
  const all = await q.listSupportersByEmail(deps.db.kysely, s.email);
  return { email: s.email, supporters: all, hash: t.token_hash };
}

export async function getManageView(deps: SupportDeps, sessionToken: string | undefined): Promise<ManageView> {
  const { email, supporters } = await sessionSupporter(deps, sessionToken);
  const plans: ManageView['plans'] = [];
  const payments: ManageView['payments'] = [];
  for (const s of supporters) {
    for (const p of await q.listPlansOfSupporter(deps.db.kysely, s.id)) {
      plans.push({
        id: p.id,
        status: p.status,
        frequency: p.frequency,
        amount: p.amount,
        currency: p.currency,
        nextRenewalAt: p.next_renewal_at,
        canceledAt: p.canceled_at,
        customerKnown: true,
      });
    }
    for (const p of await q.listPaymentsOfSupporter(
      deps.db.kysely,
      s.id,
      '1970-01-01T00:00:00.000Z',
      '9999-12-31T00:00:00.000Z',
    )) {
      payments.push({
        occurredAt: p.occurred_at,
        amount: p.amount,
        currency: p.currency,
        kind: p.kind,
        frequency: p.frequency,
      });
    }
  }
  payments.sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  return { email, plans, payments };
}

async function ownedPlan(deps: SupportDeps, sessionToken: string | undefined, planId: number) {
  const who = await sessionSupporter(deps, sessionToken);
  const plan = Number.isSafeInteger(planId) ? await q.findPlanById(deps.db.kysely, planId) : null;
  if (!plan || !who.supporters.some((s) => s.id === plan.supporter_id))
    throw new NotFoundError('SUPPORT_PLAN_UNKNOWN', 'There is no such plan on your account.');
  return { who, plan };
}

/** Writes the provider's answer at once, so the page shows it before the webhook arrives. */
async function mirror(
  deps: SupportDeps,
  planSupporter: number | null,
  s: SubscriptionInfo,
  now: string,
): Promise<void> {
  await q.upsertPlan(deps.db.kysely, {
    provider: deps.provider.name,
    subscriptionId: s.id,
    supporterId: planSupporter,
    status: s.status,
    frequency: s.frequency,
    amount: s.amount,
    currency: s.currency,
    nextRenewalAt:
      s.status === 'canceled' || s.currentPeriodEnd === null ? null : toDbTime(new Date(s.currentPeriodEnd * 1000)),
    canceledAt:
      s.status === 'canceled'
        ? toDbTime(new Date((s.canceledAt ?? Math.floor(deps.clock.now().getTime() / 1000)) * 1000))
        : null,
    now,
  });
}

async function confirmByMail(
  deps: SupportDeps,
  to: string,
  what: string,
  outcome: 'changed' | 'cancelled',
): Promise<void> {
  const settings = await getSettings(deps.settings);
  await enqueueMail(deps, changeConfirmationMessage(settings, to, what, outcome));
}

/** Changes a plan's amount and/or switches between monthly and annual (same currency). */
export async function changePlan(
  deps: SupportDeps,
  sessionToken: string | undefined,
  planId: number,
  form: { frequency: unknown; amount: unknown },
): Promise<void> {
  const { who, plan } = await ownedPlan(deps, sessionToken, planId);
  if (plan.status === 'canceled')
    throw new ValidationError(
      'SUPPORT_PLAN_CANCELED',
      'This plan is cancelled; start a new one from the support page.',
    );
  if (form.frequency !== 'month' && form.frequency !== 'year')
    throw new ValidationError('SUPPORT_FREQUENCY_INVALID', 'Choose monthly or annual.', {
      frequency: 'Choose monthly or annual.',
    });
  const appeal = await getAppealSettings({
    ...deps,
    publicationName: async () => (await getSettings(deps.settings)).name,
  });
  const choice = parseCheckoutForm(
    { ...appeal, currencies: [plan.currency as Currency] },
    { frequency: form.frequency, currency: plan.currency, amount: 'other', otherAmount: form.amount },
  );
  const frequency = form.frequency;
  // One key per (session, plan, requested change): a double click or a retried request acts once.
  const key = `plan-${plan.id}-change-${sha256(`${who.hash}:${frequency}:${choice.amount}`).slice(0, 32)}`;
  const asked = toDbTime(deps.clock.now());
  const s = await deps.provider.updateSubscription(
    plan.provider_subscription_id,
    { amount: choice.amount, currency: choice.currency, frequency },
    key,
  );
  await mirror(deps, plan.supporter_id, s, asked);
  await confirmByMail(
    deps,
    who.email,
    `Your support is now ${formatWithPeriod(s.amount, s.currency, s.frequency)}.`,
    'changed',
  );
}

export async function cancelPlan(deps: SupportDeps, sessionToken: string | undefined, planId: number): Promise<void> {
  const { who, plan } = await ownedPlan(deps, sessionToken, planId);
  if (plan.status === 'canceled') return;
  const asked = toDbTime(deps.clock.now());
  const s = await deps.provider.cancelSubscription(plan.provider_subscription_id, `plan-${plan.id}-cancel`);
  await mirror(deps, plan.supporter_id, s, asked);
  await confirmByMail(
    deps,
    who.email,
    `Your ${formatWithPeriod(plan.amount, plan.currency, plan.frequency)} support is cancelled. No further payments will be taken. Thank you for your support.`,
    'cancelled',
  );
}

/** The provider's page for changing the card (Stripe's billing portal; a simple page in test mode). */
export async function paymentMethodUrl(
  deps: SupportDeps,
  sessionToken: string | undefined,
  planId: number,
  returnUrl: string,
): Promise<string> {
  const { plan } = await ownedPlan(deps, sessionToken, planId);
  const supporter = plan.supporter_id === null ? null : await q.findSupporterById(deps.db.kysely, plan.supporter_id);
  if (!supporter) throw new NotFoundError('SUPPORT_PLAN_UNKNOWN', 'There is no such plan on your account.');
  return deps.provider.paymentMethodUrl(supporter.provider_customer_id, returnUrl);
}

/** Mails the statement of a calendar year (UTC) to the session's address. */
export async function sendStatement(deps: SupportDeps, sessionToken: string | undefined, year: number): Promise<void> {
  const who = await sessionSupporter(deps, sessionToken);
  if (!Number.isInteger(year) || year < 2000 || year > deps.clock.now().getUTCFullYear())
    throw new ValidationError('SUPPORT_YEAR_INVALID', 'Choose a year.', { year: 'Choose a year.' });
  const rows: { occurredAt: string; amount: number; currency: string; kind: string }[] = [];
  for (const s of who.supporters) {
    for (const p of await q.listPaymentsOfSupporter(
      deps.db.kysely,
      s.id,
      `${year}-01-01T00:00:00.000Z`,
      `${year + 1}-01-01T00:00:00.000Z`,
    )) {
      rows.push({ occurredAt: p.occurred_at, amount: p.amount, currency: p.currency, kind: p.kind });
    }
  }
  rows.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  await enqueueMail(deps, statementMessage(await getSettings(deps.settings), who.email, year, rows));
}

/**
 * Erasure: removes the address and every link and session, and keeps the anonymous ledger
 * rows (amounts, dates) the accounts need. Active plans must be cancelled first, or we
 * would keep taking money from someone we can no longer write to. The customer at the
 * provider, which holds the address and saved cards too, is deleted by a job queued in the
 * same transaction, so a provider that is down delays it but cannot lose it.
 */
export async function eraseSupport(deps: SupportDeps, sessionToken: string | undefined): Promise<void> {
  const who = await sessionSupporter(deps, sessionToken);
  for (const s of who.supporters) {
    const plans = await q.listPlansOfSupporter(deps.db.kysely, s.id);
    if (plans.some((p) => p.status !== 'canceled'))
      throw new ForbiddenError(
        'SUPPORT_PLAN_ACTIVE',
        'Cancel your recurring support first; then we can forget your address.',
      );
  }
  const now = toDbTime(deps.clock.now());
  await deps.db.kysely.transaction().execute(async (trx) => {
    for (const s of who.supporters) {
      await q.eraseSupporter(trx, s.id, now);
      if (s.provider_customer_id)
        await deps.jobs.enqueue(
          FORGET_CUSTOMER_JOB,
          { provider: s.provider, customerId: s.provider_customer_id },
          { trx },
        );
    }
    await q.deleteRemindersByEmail(trx, who.email);
  });
}

/**
 * The work of a `support.forget-customer` job. A job for another provider than the
 * configured one (keys changed since) has nobody left to ask and ends.
 */
export async function forgetCustomer(
  deps: Pick<SupportDeps, 'provider'>,
  p: { provider: string; customerId: string },
): Promise<void> {
  if (p.provider === deps.provider.name) await deps.provider.deleteCustomer(p.customerId);
}

/** Ends a manage session (sign out). */
export async function closeManageSession(deps: SupportDeps, sessionToken: string | undefined): Promise<void> {
  if (sessionToken && isPlausibleToken(sessionToken)) await q.takeToken(deps.db.kysely, sha256(sessionToken));
}
