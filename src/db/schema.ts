import type { Generated } from 'kysely';

/**
 * Row types as both dialects return them after normalisation (see connection.ts):
 * times are ISO-8601 UTC strings, booleans are 0/1 integers, JSON is text.
 */
export interface SchemaMigrationsTable {
  id: string;
  applied_at: string;
}

export interface SettingsTable {
  key: string;
  value: string; // JSON
  updated_at: string;
}

export interface SiteStateTable {
  id: number; // always 1
  content_version: number;
  content_changed_at: string;
}

export interface AuthorsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  role: string;
  bio: string;
  photo_media_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface SectionsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  position: number;
}

export interface TagsTable {
  id: Generated<number>;
  slug: string;
  name: string;
}

export interface MediaTable {
  id: Generated<number>;
  storage_key: string;
  original_name: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  variants: string; // JSON: MediaVariant[]
  created_at: string;
  /** The staff member who uploaded it; null for images from before this was recorded, or whose uploader left. */
  uploaded_by: number | null;
}

export type ArticleStatus = 'draft' | 'scheduled' | 'published' | 'unpublished';

export interface ArticlesTable {
  id: Generated<number>;
  slug: string;
  headline: string;
  standfirst: string;
  body_markdown: string;
  body_html: string;
  body_text: string;
  lead_media_id: number | null;
  lead_alt: string;
  lead_caption: string;
  lead_credit: string;
  section_id: number | null;
  language: string;
  status: ArticleStatus;
  published_at: string | null;
  updated_at: string | null;
  created_at: string;
  modified_at: string;
  created_by: number | null;
  submitted_at: string | null;
}

export interface ArticleAuthorsTable {
  article_id: number;
  author_id: number;
  position: number;
}

export interface ArticleTagsTable {
  article_id: number;
  tag_id: number;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobsTable {
  id: Generated<number>;
  type: string;
  payload: string; // JSON
  unique_key: string | null;
  status: JobStatus;
  run_at: string;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export type StaffRole = 'owner' | 'admin' | 'editor' | 'author' | 'contributor';

export interface StaffTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: StaffRole;
  status: 'active' | 'deactivated';
  password_hash: string;
  totp_secret: string | null;
  totp_enabled: number;
  totp_last_step: number | null;
  recovery_codes: string; // JSON: string[] of hashes
  author_id: number | null;
  created_at: string;
  updated_at: string;
  password_changed_at: string;
}

export interface StaffSessionsTable {
  id: string; // sha256 of the cookie token
  staff_id: number;
  second_factor_done: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  reauthenticated_at: string | null;
}

export interface StaffTokensTable {
  id: Generated<number>;
  token_hash: string;
  purpose: 'invite' | 'reset';
  email: string;
  role: StaffRole | null;
  staff_id: number | null;
  created_by: number | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AuthThrottleTable {
  key: string;
  window_start: string;
  count: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: string; // JSON
}

export interface OutboxMessagesTable {
  id: Generated<number>;
  message_id: string;
  to_address: string;
  subject: string;
  text: string;
  html: string | null;
  headers: string; // JSON: Record<string, string>
  category: string;
  created_at: string;
}

export interface ArticleRevisionsTable {
  id: Generated<number>;
  article_id: number;
  created_at: string;
  created_by: number | null;
  headline: string;
  standfirst: string;
  body_markdown: string;
  note: string;
}

export interface PrivacyPoliciesTable {
  id: Generated<number>;
  version: number;
  body_markdown: string;
  body_html: string;
  published_at: string;
  created_by: number | null;
}

export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'bounced' | 'complained';

export interface SubscribersTable {
  id: Generated<number>;
  email: string;
  status: SubscriberStatus;
  consent_at: string;
  policy_version: number | null;
  source: string | null;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SubscriberTokensTable {
  token_hash: string;
  subscriber_id: number;
  purpose: string;
  expires_at: string;
  created_at: string;
}

export interface SecretsTable {
  key: string;
  value: string;
  created_at: string;
}

export interface NewsletterThrottleTable {
  key: string;
  window_start: string;
  count: number;
}

export type EditionStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'sent' | 'cancelled';

export interface EditionsTable {
  id: Generated<number>;
  status: EditionStatus;
  slug: string | null;
  subject: string;
  preheader: string;
  intro: string;
  sign_off: string;
  scheduled_for: string | null;
  /** The local date (YYYY-MM-DD) of the Friday an automatic draft was made for; null for editions made by hand. */
  auto_friday: string | null;
  rendered_html: string | null;
  rendered_text: string | null;
  audience_fixed_at: string | null;
  recipient_count: Generated<number>;
  started_at: string | null;
  sent_at: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface EditionItemsTable {
  id: Generated<number>;
  edition_id: number;
  position: number;
  kind: 'article' | 'heading';
  article_id: number | null;
  heading: Generated<string>;
  blurb: Generated<string>;
}

export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface DeliveriesTable {
  id: Generated<number>;
  edition_id: number;
  subscriber_id: number | null;
  status: DeliveryStatus;
  message_id: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
  sent_at: string | null;
}

export type SubscriberEventKind =
  'confirmed' | 'unsubscribed' | 'resubscribed' | 'bounced' | 'soft_bounced' | 'complained' | 'erased';

export interface SubscriberEventsTable {
  id: Generated<number>;
  subscriber_id: number | null;
  kind: SubscriberEventKind;
  edition_id: number | null;
  detail: Generated<string>;
  created_at: string;
}

// ---- support (0009) ----

export type SupportFrequency = 'once' | 'month' | 'year';
export type PlanStatus = 'incomplete' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'paused';
export type PaymentKind = 'payment' | 'refund' | 'dispute' | 'dispute_won';

export interface SupportersTable {
  id: Generated<number>;
  provider: string;
  provider_customer_id: string;
  email: string | null;
  created_at: string;
  erased_at: string | null;
}

export interface RecurringPlansTable {
  id: Generated<number>;
  provider: string;
  provider_subscription_id: string;
  supporter_id: number | null;
  status: PlanStatus;
  frequency: 'month' | 'year';
  amount: number;
  currency: string;
  next_renewal_at: string | null;
  canceled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PaymentsTable {
  id: Generated<number>;
  provider: string;
  provider_object_id: string;
  kind: PaymentKind;
  supporter_id: number | null;
  plan_id: number | null;
  frequency: SupportFrequency;
  amount: number;
  currency: string;
  /** The payment intent this movement belongs to (links refunds and disputes to their payment). */
  payment_ref: string | null;
  occurred_at: string;
  created_at: string;
}

export interface ProcessedEventsTable {
  provider: string;
  event_id: string;
  type: string;
  processed_at: string;
}

export interface SupportRejectionsTable {
  provider: string;
  event_id: string;
  type: string;
  reason: string;
  rejected_at: string;
}

export interface CheckoutAttemptsTable {
  id: Generated<number>;
  public_id: string;
  provider: string;
  frequency: SupportFrequency;
  amount: number;
  currency: string;
  status: 'created' | 'redirected' | 'completed' | 'failed';
  provider_session_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface SupportTokensTable {
  token_hash: string;
  supporter_id: number;
  purpose: 'link' | 'session';
  expires_at: string;
  created_at: string;
}

export interface SupportRemindersTable {
  id: Generated<number>;
  email: string;
  month: string;
  created_at: string;
}

export interface SupportThrottleTable {
  key: string;
  window_start: string;
  count: number;
}

export interface SupportTestObjectsTable {
  id: string;
  kind: string;
  data: string;
  created_at: string;
  updated_at: string;
}

export interface SupportSettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface Database {
  schema_migrations: SchemaMigrationsTable;
  settings: SettingsTable;
  site_state: SiteStateTable;
  authors: AuthorsTable;
  sections: SectionsTable;
  tags: TagsTable;
  media: MediaTable;
  articles: ArticlesTable;
  article_authors: ArticleAuthorsTable;
  article_tags: ArticleTagsTable;
  jobs: JobsTable;
  staff: StaffTable;
  staff_sessions: StaffSessionsTable;
  staff_tokens: StaffTokensTable;
  auth_throttle: AuthThrottleTable;
  audit_log: AuditLogTable;
  outbox_messages: OutboxMessagesTable;
  privacy_policies: PrivacyPoliciesTable;
  article_revisions: ArticleRevisionsTable;
  subscribers: SubscribersTable;
  subscriber_tokens: SubscriberTokensTable;
  secrets: SecretsTable;
  newsletter_throttle: NewsletterThrottleTable;
  editions: EditionsTable;
  edition_items: EditionItemsTable;
  deliveries: DeliveriesTable;
  subscriber_events: SubscriberEventsTable;
  supporters: SupportersTable;
  recurring_plans: RecurringPlansTable;
  payments: PaymentsTable;
  processed_events: ProcessedEventsTable;
  support_rejections: SupportRejectionsTable;
  checkout_attempts: CheckoutAttemptsTable;
  support_tokens: SupportTokensTable;
  support_reminders: SupportRemindersTable;
  support_throttle: SupportThrottleTable;
  support_test_objects: SupportTestObjectsTable;
  support_settings: SupportSettingsTable;
}
