import nodemailer from 'nodemailer';
import type { Config } from '#config';
import type { Clock } from '#lib/clock.ts';
import { MailSendError, type Mailer } from '#mail';

/** One personalised edition message, ready to go. */
export interface EditionMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
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
export function createEditionTransport(deps: { mailer: Mailer; clock: Clock; mail: Config['mail']; newsletter: Config['newsletter'] }): EditionTransport {
  const { mail, newsletter } = deps;
  if (!mail.smtpUrl) {
    return {
      async send(m) {
        try {
          await deps.mailer.send({ ...m, category: 'newsletter.edition' });
        } catch (err) {
          throw classify(err);
        }
      },
      async close() {},
    };
  }
  const transporter = nodemailer.createTransport({
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
  return {
    async send(m) {
      try {
        const info = await transporter.sendMail({
          from: mail.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          // Sent as written: nodemailer would otherwise MIME-encode List-Id's quotes and
          // angle brackets, which list-aware clients do not decode. Values are ASCII
          // (personalise() encodes a non-ASCII name) and short, so no folding is needed.
          headers: Object.fromEntries(Object.entries(m.headers).map(([name, value]) => [name, { prepared: true, value }])),
          messageId: m.messageId,
          date: deps.clock.now(),
        });
        if (info.rejected.length > 0) throw Object.assign(new Error('recipient refused'), { responseCode: 550, response: String(info.response) });
      } catch (err) {
        throw classify(err);
      }
    },
    async close() {
      transporter.close();
    },
  };
}
