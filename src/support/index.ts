import type { Db } from '#db';
import type { JobQueue } from '#jobs';
import type { Clock } from '#lib/clock.ts';
import type { Mailer } from '#mail';
import type { SettingsDeps } from '#settings';
import type { SupportDeps } from './deps.ts';
import { StripeProvider, type StripeSettings } from './stripe-provider.ts';
import { TestProvider } from './test-provider.ts';

export type { SupportDeps } from './deps.ts';
export type { SupportProvider, ProviderEvent, SubscriptionInfo } from './provider.ts';
export { TestProvider, deliverTestEvent, type WebhookDelivery } from './test-provider.ts';
export { StripeProvider, type StripeSettings } from './stripe-provider.ts';
export {
  CURRENCIES,
  FREQUENCIES,
  FREQUENCY_LABELS,
  formatMoney,
  formatWithPeriod,
  currencySymbol,
  parseAmount,
  isCurrency,
  isFrequency,
  type Currency,
  type Frequency,
} from './money.ts';
export {
  getAppealSettings,
  saveAppealSettings,
  defaultAppealSettings,
  appealSettingsSchema,
  suggestedFor,
  type AppealSettings,
} from './appeal-settings.ts';
export { startCheckout, parseCheckoutForm, findCheckoutAttempt, type CheckoutForm } from './checkout.ts';
export { receiveWebhook, reconcile } from './webhooks.ts';
export { applyEvent, HANDLED_EVENTS, type ApplyResult } from './ledger.ts';
export { ThrottledError, LIMITS, sweepExpired } from './throttle.ts';
export {
  requestManageLink,
  isManageLinkValid,
  openManageSession,
  getManageView,
  changePlan,
  cancelPlan,
  paymentMethodUrl,
  sendStatement,
  eraseSupport,
  forgetCustomer,
  closeManageSession,
  parseEmail,
  LINK_TTL_MS,
  SESSION_TTL_MS,
  type ManageView,
} from './self-service.ts';
export { addReminder, sendReminder, reminderMonths } from './reminders.ts';
export { REMINDER_JOB, TEST_WEBHOOK_JOB, CLEANUP_JOB, FORGET_CUSTOMER_JOB } from './jobs.ts';
export { SIGNATURE_TOLERANCE_SECONDS } from './signature.ts';

/**
 * The support feature's dependencies, with its provider: Stripe when keys are configured,
 * otherwise the labelled test provider (no money moves).
 */
export function createSupport(
  base: { db: Db; clock: Clock; jobs: JobQueue; mailer: Mailer; settings: SettingsDeps },
  stripe: StripeSettings | null,
  checkoutLimits?: { perNetwork: number; global: number },
): SupportDeps {
  const provider = stripe ? new StripeProvider(stripe, base.clock) : new TestProvider(base);
  return { ...base, provider, ...(checkoutLimits ? { checkoutLimits } : {}) };
}
export {
  revenueReport,
  ledgerRows,
  type RevenueReport,
  type CurrencyMonth,
  type RecurringNow,
  type LedgerRow,
} from './revenue.ts';
