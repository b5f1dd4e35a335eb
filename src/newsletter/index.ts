export {
  signUp,
  confirmSubscription,
  isConfirmationValid,
  purgePending,
  CONFIRM_TTL_MS,
  PENDING_MAX_AGE_MS,
  IP_SIGNUPS,
  ADDRESS_SIGNUPS,
  type NewsletterDeps,
} from './service.ts';
export {
  getSubscriberByToken,
  unsubscribeByToken,
  resubscribeByToken,
  exportSubscriberData,
  eraseSubscriber,
  subscriberToken,
  listUnsubscribeHeaders,
  type Subscriber,
} from './self-service.ts';
export { PURGE_PENDING_JOB } from './jobs.ts';
export { type SignupCommand } from './commands.ts';
export { EMAIL_MAX } from '#mail';
export {
  applyBounce,
  recordSubscriberEvent,
  subscriberIdByEmail,
  SOFT_BOUNCE_LIMIT,
  SOFT_BOUNCE_WINDOW_MS,
  type BounceKind,
  type BounceReport,
  type BounceOutcome,
} from './suppression.ts';
export {
  readReport,
  readJsonNotification,
  ingestFindings,
  bounceWebhookSecret,
  rotateBounceWebhookSecret,
  isBounceWebhookSecret,
  REPORT_MAX_BYTES,
  MAX_FINDINGS,
  type BounceFinding,
  type IngestSummary,
} from './bounces/index.ts';
export {
  startSending,
  pauseSending,
  resumeSending,
  deliveryProgress,
  deliveryOverview,
  laneRunner,
  DELIVER_JOB,
  deliverJobKey,
  type DeliveryProgress,
  type DeliveryOverview,
  type DeliveryDeps,
  type SendingDeps,
} from './delivery/index.ts';
export {
  subscriberCounts,
  monthlyHistory,
  editionStats,
  type StatusCounts,
  type MonthHistory,
  type EditionStats,
} from './audience.ts';
