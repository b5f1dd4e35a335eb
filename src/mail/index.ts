export { createMailer } from './mailer.ts';
export { MailSendError } from './smtp.ts';
export { EMAIL_MAX, isValidAddress, normaliseEmail, parseEmail } from './message.ts';
export { listOutbox, getOutboxMessage, findOutboxMessageByMessageId, deleteOutboxOlderThan } from './outbox.ts';
export { MAIL_SEND_JOB, enqueueMail, sendQueuedMail, type MailJobPayload } from './jobs.ts';
export type {
  Mailer,
  MailDeps,
  MailMessage,
  MailMode,
  SendResult,
  OutboxMessage,
  OutboxSummary,
  OutboxPage,
} from './types.ts';
