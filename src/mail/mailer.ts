import type { Config } from '#config';
import type { Db } from '#db';
import { toDbTime } from '#db';
import type { Clock } from '#lib/clock.ts';
import { newMessageId, validateMessage } from './message.ts';
import * as q from './queries.ts';
import { createSmtpTransport } from './smtp.ts';
import type { Mailer, SendResult, ValidMessage } from './types.ts';

/**
 * The one mailer of a process. With SMTP_URL configured every message goes to that server
 * through a connection pool; without it, to the local outbox table, where the newsroom shows
 * it. There is no third way: a message is sent, stored, or the caller gets an error.
 */
export function createMailer(deps: {
  db: Db;
  clock: Clock;
  config: Config['mail'];
  onError?: (err: unknown) => void;
}): Mailer {
  const { config, clock } = deps;
  const makeId = () => newMessageId(config.from.address);
  let deliver: (m: ValidMessage) => Promise<SendResult>;
  let close = async () => {};
  if (config.smtpUrl) {
    const smtp = createSmtpTransport(config, clock, deps.onError);
    deliver = (m) => smtp.send(m);
    close = () => smtp.close();
  } else {
    deliver = async (m) => {
      await q.insertOutboxMessage(deps.db.kysely, m, toDbTime(clock.now()));
      return { messageId: m.messageId, transport: 'outbox' };
    };
  }
  return {
    mode: config.smtpUrl ? 'smtp' : 'outbox',
    newMessageId: makeId,
    async send(message) {
      return deliver(validateMessage(message, makeId));
    },
    close: () => close(),
  };
}
