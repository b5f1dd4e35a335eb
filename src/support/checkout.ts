import crypto from 'node:crypto';
import { toDbTime } from '#db';
import { ValidationError } from '#lib/errors.ts';
import type { AppealSettings } from './appeal-settings.ts';
import type { SupportDeps } from './deps.ts';
import { formatWithPeriod, isCurrency, isFrequency, parseAmount, type Currency, type Frequency } from './money.ts';
import * as q from './queries.ts';
import { recentAppeal, recentSettings } from './recent.ts';
import { throttle } from './throttle.ts';

export interface CheckoutForm {
  frequency: unknown;
  currency: unknown;
  /** The chosen suggestion in minor units, or "other". */
  amount: unknown;
  otherAmount: unknown;
}

export interface CheckoutRequest {
  frequency: Frequency;
  currency: Currency;
  amount: number;
}

/**
 * The reader's choice, checked strictly against the appeal settings: a known frequency, an
 * offered currency, and an amount (a suggestion or typed) within that frequency's limits.
 * Every problem is a ValidationError with the field it belongs to; nothing is stored.
 */
export function parseCheckoutForm(s: AppealSettings, form: CheckoutForm): CheckoutRequest {
  if (!isFrequency(form.frequency))
    throw new ValidationError('SUPPORT_FREQUENCY_INVALID', 'Choose once, monthly or annual.', {
      frequency: 'Choose once, monthly or annual.',
    });
  const frequency = form.frequency;
  if (!isCurrency(form.currency) || !s.currencies.includes(form.currency)) {
    throw new ValidationError('SUPPORT_CURRENCY_INVALID', `Choose one of: ${s.currencies.join(', ')}.`, {
      currency: `Choose one of: ${s.currencies.join(', ')}.`,
    });
  }
  const currency = form.currency;
  const other = typeof form.otherAmount === 'string' ? form.otherAmount.trim() : '';
  let amount: number;
  // A typed amount wins over any picked suggestion: without JavaScript nothing selects
  // "Other amount" when the reader types, and typing is the clearer intent.
  if (form.amount === 'other' || other !== '') {
    amount = parseAmount(other, 'amount');
  } else if (typeof form.amount === 'string' && /^[1-9][0-9]{0,9}$/.test(form.amount)) {
    amount = Number(form.amount);
  } else {
    throw new ValidationError('SUPPORT_AMOUNT_INVALID', 'Choose an amount or enter another one.', {
      amount: 'Choose an amount or enter another one.',
    });
  }
  const { min, max } = s.limits[frequency];
  if (amount < min) {
    const msg = `The smallest amount is ${formatWithPeriod(min, currency, frequency)}.`;
    throw new ValidationError('SUPPORT_AMOUNT_TOO_SMALL', msg, { amount: msg });
  }
  if (amount > max) {
    const msg = `The largest amount we accept here is ${formatWithPeriod(max, currency, frequency)}.`;
    throw new ValidationError('SUPPORT_AMOUNT_TOO_LARGE', msg, { amount: msg });
  }
  return { frequency, currency, amount };
}

/**
 * Starts a checkout: validate, record the attempt, create the provider's hosted checkout
 * with an idempotency key derived from the attempt, and return where to send the reader.
 * Limited per network and globally (card testing). The attempt holds no personal data.
 */
export async function startCheckout(
  deps: SupportDeps,
  form: CheckoutForm,
  ip: string,
): Promise<{ url: string; attempt: string }> {
  const choice = parseCheckoutForm(await recentAppeal(deps), form);
  await throttle(
    deps,
    'checkoutPerNetwork',
    ip,
    'Too many attempts from your network. Please wait an hour and try again.',
  );
  await throttle(
    deps,
    'checkoutGlobal',
    'all',
    'We are receiving too many payment attempts right now. Please try again in an hour.',
  );
  const settings = await recentSettings(deps);
  const attempt = crypto.randomBytes(16).toString('base64url');
  const now = toDbTime(deps.clock.now());
  await q.insertAttempt(deps.db.kysely, { publicId: attempt, provider: deps.provider.name, ...choice, now });
  const description =
    choice.frequency === 'once'
      ? `Support for ${settings.name}`
      : `${choice.frequency === 'month' ? 'Monthly' : 'Annual'} support for ${settings.name}`;
  const session = await deps.provider.createCheckout({
    attempt,
    idempotencyKey: `checkout-${attempt}`,
    ...choice,
    description,
    successUrl: `${settings.baseUrl}/support/thanks?a=${attempt}`,
    cancelUrl: `${settings.baseUrl}/support?cancelled=1`,
  });
  await q.markAttemptRedirected(deps.db.kysely, attempt, session.sessionId, toDbTime(deps.clock.now()));
  return { url: session.url, attempt };
}

/** The attempt behind a thank-you page, or null. */
export async function findCheckoutAttempt(deps: SupportDeps, publicId: string) {
  if (!/^[A-Za-z0-9_-]{22}$/.test(publicId)) return null;
  const a = await q.findAttempt(deps.db.kysely, publicId);
  return a ? { frequency: a.frequency, amount: a.amount, currency: a.currency, status: a.status } : null;
}
