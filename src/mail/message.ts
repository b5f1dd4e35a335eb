import crypto from 'node:crypto';
import { domainToASCII } from 'node:url';
import { ValidationError } from '#lib/errors.ts';
import type { MailMessage, ValidMessage } from './types.ts';
import { hasControlChars } from '#lib/control-chars.ts';

const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,75}$/;
const MESSAGE_ID = /^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,128}@[A-Za-z0-9.-]{1,253}>$/;
const CATEGORY = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;
// Headers the mailer writes itself; a caller setting them would fight the transport.
const RESERVED_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'return-path',
  'received',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
]);
const MAX_SUBJECT = 500;
const MAX_HEADER_VALUE = 4000;
const MAX_BODY = 10 * 1024 * 1024;

/** The longest address the product stores or sends to (RFC 5321's forward-path limit). */
export const EMAIL_MAX = 254;

/** The one form every stored address takes: trimmed and lower-cased; '' for a non-string. */
export function normaliseEmail(raw: unknown): string {
  return typeof raw === 'string' ? raw.trim().toLowerCase() : '';
}

/**
 * The product's one address rule: the normalised address when the mailer would send to it,
 * else null. Staff, subscribers and supporters all go through here, so an accepted address
 * can always be mailed (and carries no control characters: no header injection).
 */
export function parseEmail(raw: unknown): string | null {
  const email = normaliseEmail(raw);
  return isValidAddress(email) ? email : null;
}

/** Whether `address` is a single bare addr-spec we are willing to send to. */
export function isValidAddress(address: string): boolean {
  if (address.length > EMAIL_MAX || hasControlChars(address)) return false;
  const at = address.lastIndexOf('@');
  if (at < 1) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) return false;
  return !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

/** A new Message-ID on the domain of our From address. */
export function newMessageId(fromAddress: string): string {
  const domain = domainToASCII(fromAddress.slice(fromAddress.lastIndexOf('@') + 1)).toLowerCase() || 'masthead.invalid';
  return `<${crypto.randomUUID()}@${domain}>`;
}

/** Field → problem for everything wrong with a message; empty when it may be sent. */
export function messageProblems(m: MailMessage): Record<string, string> {
  const fields: Record<string, string> = {};
  const str = (v: unknown): v is string => typeof v === 'string';
  if (!str(m.to) || !isValidAddress(m.to)) fields.to = 'Give one email address, like reader@example.org';
  if (!str(m.subject) || m.subject.trim() === '') fields.subject = 'Give the message a subject';
  else if (hasControlChars(m.subject)) fields.subject = 'The subject cannot contain line breaks or control characters';
  else if (m.subject.length > MAX_SUBJECT) fields.subject = `The subject is longer than ${MAX_SUBJECT} characters`;
  if (!str(m.text) || m.text.trim() === '') fields.text = 'Give the message a plain-text body';
  else if (m.text.length > MAX_BODY) fields.text = 'The message is too large';
  if (m.html !== undefined && (!str(m.html) || m.html.length > MAX_BODY))
    fields.html = 'The HTML body is not valid or too large';
  if (!str(m.category) || m.category.length > 64 || !CATEGORY.test(m.category))
    fields.category = 'Give a category like newsletter.confirmation';
  if (m.messageId !== undefined && (!str(m.messageId) || !MESSAGE_ID.test(m.messageId)))
    fields.messageId = 'A Message-ID looks like <id@domain>';
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    const key = `headers.${name}`;
    if (!HEADER_NAME.test(name)) fields[key] = 'Header names are letters, digits and hyphens';
    else if (RESERVED_HEADERS.has(name.toLowerCase())) fields[key] = 'The mailer sets this header itself';
    else if (!str(value) || hasControlChars(value))
      fields[key] = 'Header values cannot contain line breaks or control characters';
    else if (value.length > MAX_HEADER_VALUE) fields[key] = 'The header value is too long';
  }
  return fields;
}

/** Checks a message and decides its Message-ID; throws MAIL_INVALID listing every problem. */
export function validateMessage(m: MailMessage, makeId: () => string): ValidMessage {
  const fields = messageProblems(m);
  if (Object.keys(fields).length > 0) throw new ValidationError('MAIL_INVALID', 'The message cannot be sent.', fields);
  return {
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html ?? null,
    headers: { ...m.headers },
    messageId: m.messageId ?? makeId(),
    category: m.category,
  };
}
