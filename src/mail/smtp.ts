import { createRequire } from 'node:module';
import type nodemailerModule from 'nodemailer';
import type { Config } from '#config';
import type { Clock } from '#lib/clock.ts';
import { AppError } from '#lib/errors.ts';
import type { SendResult, ValidMessage } from './types.ts';

// Loaded when an SMTP transport is made: the package adds about 25 MB to a process, and an
// installation without SMTP (the demo, or a web process with mail in the outbox) never needs it.
const require = createRequire(import.meta.url);
const nodemailer = (): typeof nodemailerModule => require('nodemailer') as typeof nodemailerModule;

/**
 * The SMTP server did not take a message. `permanent` is true when sending the same
 * message again would be refused again (a 5xx reply); false for 4xx replies and for
 * connection trouble, which a later attempt may get past. The server's reply is in `cause`.
 */
export class MailSendError extends AppError {
  readonly permanent: boolean;
  readonly responseCode: number | undefined;
  constructor(
    code: string,
    message: string,
    opts: { permanent: boolean; responseCode?: number | undefined; cause: unknown },
  ) {
    super(502, code, message, { cause: opts.cause });
    this.name = 'MailSendError';
    this.permanent = opts.permanent;
    this.responseCode = opts.responseCode;
  }
}

interface SmtpFailure {
  code?: string | undefined;
  responseCode?: number | undefined;
  permanent?: boolean | undefined;
}

function toSendError(err: unknown): MailSendError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpFailure;
  // Bad credentials are the operator's to fix; queued mail should go once they are.
  if (e.code === 'EAUTH')
    return new MailSendError('MAIL_SMTP_AUTH_FAILED', 'The mail server did not accept our credentials.', {
      permanent: false,
      responseCode: e.responseCode,
      cause: err,
    });
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) {
    const permanent = e.permanent ?? (e.responseCode >= 500 && e.responseCode !== 503);
    return new MailSendError('MAIL_SMTP_REFUSED', `The mail server refused the message (${e.responseCode}).`, {
      permanent,
      responseCode: e.responseCode,
      cause: err,
    });
  }
  return new MailSendError('MAIL_SMTP_UNAVAILABLE', 'Could not hand the message to the mail server.', {
    permanent: false,
    cause: err,
  });
}

export interface SmtpTransport {
  send(m: ValidMessage): Promise<SendResult>;
  close(): Promise<void>;
}

/** A pooled SMTP connection set; connections are reused for as long as the server allows. */
export function createSmtpTransport(
  config: Config['mail'],
  clock: Clock,
  onError: (err: unknown) => void = () => {},
): SmtpTransport {
  if (!config.smtpUrl) throw new Error('createSmtpTransport needs config.mail.smtpUrl');
  const transporter = nodemailer().createTransport({
    url: config.smtpUrl,
    pool: true,
    maxConnections: config.poolMax,
    // Reconnecting every 100 messages (the default) costs a TLS handshake and AUTH each time.
    maxMessages: Infinity,
    ...(config.ratePerSecond ? { rateLimit: config.ratePerSecond, rateDelta: 1000 } : {}),
    // Nothing in a message may make the mailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  // Each message's failure reaches its sender; an 'error' event with no listener would
  // instead end the process.
  transporter.on('error', onError);
  return {
    async send(m) {
      try {
        const info = await transporter.sendMail({
          from: config.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          ...(m.html !== null ? { html: m.html } : {}),
          headers: m.headers,
          messageId: m.messageId,
          date: clock.now(),
        });
        // With one recipient, a refused recipient already threw; this guards a partial accept.
        if (info.rejected.length > 0)
          throw Object.assign(new Error('recipient refused'), {
            responseCode: 550,
            permanent: true,
            response: info.response,
          });
        return { messageId: info.messageId || m.messageId, transport: 'smtp' };
      } catch (err) {
        throw toSendError(err);
      }
    },
    async close() {
      transporter.close();
    },
  };
}
