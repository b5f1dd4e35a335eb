import type { Db } from '#db';
import type { JobQueue } from '#jobs';
import type { Clock } from '#lib/clock.ts';

/** One email to one recipient, as a caller hands it to the mailer. */
export interface MailMessage {
  /** A bare address (`reader@example.org`), never `Name <address>`: we keep no names. */
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Extra headers such as List-Unsubscribe; the mailer owns From, To, Subject, Message-ID, Date and MIME headers. */
  headers?: Record<string, string> | undefined;
  /** `<local@domain>`; give the id of an earlier attempt so a resend carries the same one. */
  messageId?: string | undefined;
  /** What kind of mail this is (`newsletter.confirmation`, `support.receipt`…); kept in the outbox. */
  category: string;
}

/** A message that passed validation, with its Message-ID decided. */
export interface ValidMessage {
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  messageId: string;
  category: string;
}

export type MailMode = 'smtp' | 'outbox';

export interface SendResult {
  messageId: string;
  /** Where the message went: handed to the SMTP server, or stored in the local outbox. */
  transport: MailMode;
}

export interface Mailer {
  /** 'outbox' while no SMTP server is configured: say so wherever staff could expect mail to leave. */
  readonly mode: MailMode;
  /** A fresh Message-ID on our domain, for callers that record it before sending. */
  newMessageId(): string;
  /** Sends (or stores) one message; throws ValidationError before anything leaves, MailSendError if the server refuses. */
  send(message: MailMessage): Promise<SendResult>;
  /** Closes pooled SMTP connections. */
  close(): Promise<void>;
}

/** What the mail feature's operations need. */
export interface MailDeps {
  db: Db;
  clock: Clock;
  mailer: Mailer;
  jobs: JobQueue;
}

export interface OutboxSummary {
  id: number;
  messageId: string;
  to: string;
  subject: string;
  category: string;
  createdAt: string;
}

export interface OutboxMessage extends OutboxSummary {
  text: string;
  /** Untrusted markup when displayed: show it in a sandboxed iframe, never inline. */
  html: string | null;
  headers: Record<string, string>;
}

export interface OutboxPage {
  items: OutboxSummary[];
  total: number;
  page: number;
  pageCount: number;
}
