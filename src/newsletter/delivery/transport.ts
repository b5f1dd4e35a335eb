import { createRequire } from 'node:module';
import type nodemailerModule from 'nodemailer';
import type { Config } from '#config';
import type { Clock } from '#lib/clock.ts';
import { isValidAddress, MailSendError, type Mailer } from '#mail';
import { compileEdition, fillBody, type EditionLinks, type RawEdition } from './mime.ts';

// Loaded when an SMTP transport is made: the package adds about 25 MB to a process, and an
// installation without SMTP (the demo, or a web process with mail in the outbox) never needs it.
const require = createRequire(import.meta.url);
const nodemailer = (): typeof nodemailerModule => require('nodemailer') as typeof nodemailerModule;

/** The edition's bodies with their placeholders, one object shared by every message of a lane. */
export interface EditionBody {
  subject: string;
  html: string;
  text: string;
}

/** One reader's edition message: the shared body, their links, headers and Message-ID. */
export interface EditionMessage {
  to: string;
  body: EditionBody;
  links: EditionLinks;
  headers: Record<string, string>;
  messageId: string;
}

/** Why a message did not go: `permanent` for a 5xx answer (sending again would be refused again). */
export interface SendFailure {
  permanent: boolean;
  /** An address-free reason for the progress page, such as `550 5.1.1 user unknown`. */
  reason: string;
}

export interface EditionTransport {
  /** Resolves when the server accepted the message; rejects with a SendFailure otherwise. */
  send(m: EditionMessage): Promise<void>;
  close(): Promise<void>;
}

const ADDRESS = /[^\s<>@"',;:()[\]]+@[^\s<>@"',;:()[\]]+/g;

/** A server's reply or an error's message with any address in it blanked, at most 200 characters. */
export function scrubReason(text: string): string {
  return text.replace(ADDRESS, '[address]').replace(/\s+/g, ' ').trim().slice(0, 200);
}

interface SmtpErrorShape {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
}

/** Sorts an SMTP client error: 5xx answers are permanent (bar 503, a command-order slip); 4xx, timeouts and dropped connections are not. */
export function classify(err: unknown): SendFailure {
  if (err instanceof MailSendError) {
    const cause = (typeof err.cause === 'object' && err.cause !== null ? err.cause : {}) as SmtpErrorShape;
    const detail = typeof cause.response === 'string' ? cause.response : err.message;
    return { permanent: err.permanent, reason: scrubReason(detail) };
  }
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpErrorShape;
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const response = typeof e.response === 'string' ? e.response : undefined;
  if (code !== undefined && code >= 400) {
    return { permanent: code >= 500 && code !== 503, reason: scrubReason(response ?? `${code}`) };
  }
  const label = typeof e.code === 'string' ? e.code : 'error';
  const message = typeof e.message === 'string' ? e.message : String(err);
  return { permanent: false, reason: scrubReason(`${label}: ${message}`) };
}

/**
 * Where editions go. With SMTP configured: a pool of its own (so a big send does not hold
 * the connections that confirmation and staff mail use), `connections` wide, rate-limited if
 * asked, DKIM-signed when a key is set. Without SMTP: the local outbox, through the mailer.
 */
export function createEditionTransport(deps: {
  mailer: Mailer;
  clock: Clock;
  mail: Config['mail'];
  newsletter: Config['newsletter'];
}): EditionTransport {
  const { mail, newsletter } = deps;
  if (!mail.smtpUrl) {
    return {
      async send(m) {
        if (!isValidAddress(m.to)) throw { permanent: true, reason: 'not a valid address' } satisfies SendFailure;
        try {
          await deps.mailer.send({
            to: m.to,
            subject: m.body.subject,
            text: fillBody(m.body.text, m.links, 'text'),
            html: fillBody(m.body.html, m.links, 'html'),
            headers: m.headers,
            messageId: m.messageId,
            category: 'newsletter.edition',
          });
        } catch (err) {
          throw classify(err);
        }
      },
      async close() {},
    };
  }
  const transporter = nodemailer().createTransport({
    url: mail.smtpUrl,
    pool: true,
    maxConnections: newsletter.connections,
    maxMessages: Infinity,
    ...(newsletter.ratePerSecond ? { rateLimit: newsletter.ratePerSecond, rateDelta: 1000 } : {}),
    ...(newsletter.dkim ? { dkim: { ...newsletter.dkim } } : {}),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  // A failed message rejects its own send; without a listener an 'error' event would end the process.
  transporter.on('error', () => {});
  const compiled = new WeakMap<EditionBody, RawEdition>();
  return {
    async send(m) {
      // The address goes into a header we write ourselves: anything that is not one plain
      // address (a stray line break from an old import, say) is refused, never written.
      if (!isValidAddress(m.to)) throw { permanent: true, reason: 'not a valid address' } satisfies SendFailure;
      try {
        let raw = compiled.get(m.body);
        if (!raw) {
          raw = compileEdition({ from: mail.from, ...m.body });
          compiled.set(m.body, raw);
        }
        // Raw MIME, built from the edition's pre-encoded pieces (see mime.ts); nodemailer
        // still adds DKIM and does the SMTP conversation.
        const info = await transporter.sendMail({
          envelope: { from: mail.from.address, to: [m.to] },
          raw: raw.build({
            to: m.to,
            messageId: m.messageId,
            headers: m.headers,
            links: m.links,
            date: deps.clock.now(),
          }),
        });
        if (info.rejected.length > 0)
          throw Object.assign(new Error('recipient refused'), { responseCode: 550, response: String(info.response) });
      } catch (err) {
        throw classify(err);
      }
    },
    async close() {
      transporter.close();
    },
  };
}
