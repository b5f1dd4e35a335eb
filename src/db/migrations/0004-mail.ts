import { sql } from 'kysely';
import { columnTypes, type Migration } from './types.ts';

export const mail: Migration = {
  id: '0004-mail',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    const exec = (q: string) => sql.raw(q).execute(db);
    // The local outbox: every message the mailer accepted while no SMTP server is configured.
    // message_id is unique so a retried send of the same message is stored once.
    await exec(`create table outbox_messages (
      id ${t.id},
      message_id text not null unique,
      to_address text not null,
      subject text not null,
      text text not null,
      html text,
      headers ${t.json} not null,
      category text not null,
      created_at ${t.time} not null)`);
    await exec(`create index outbox_messages_created on outbox_messages (created_at)`);
    await exec(`create index outbox_messages_to on outbox_messages (to_address, created_at)`);
  },
};
