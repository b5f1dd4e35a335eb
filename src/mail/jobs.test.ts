import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadConfig } from '#config';
import { createJobQueue, findJob, handle, JobRunner } from '#jobs';
import { systemClock } from '#lib/clock.ts';
import { isAppError } from '#lib/errors.ts';
import { createTestDb, dialects, type TestDb } from '#test/db.ts';
import { createMailer } from './mailer.ts';
import { findOutboxMessageByMessageId, listOutbox } from './outbox.ts';
import { startSmtpSink, type SmtpSink } from '#test/smtp-sink.ts';
import type { MailMessage } from './types.ts';
import { enqueueMail, MAIL_SEND_JOB, sendQueuedMail } from './jobs.ts';

const FROM = 'The Meridian Dispatch <news@meridian.example>';
const message = (over: Partial<MailMessage> = {}): MailMessage => ({
  to: 'reader@example.org',
  subject: 'Thank you for your support',
  text: 'Your receipt.',
  html: '<p>Your receipt.</p>',
  headers: { 'X-Masthead-Receipt': 'r-1' },
  category: 'support.receipt',
  ...over,
});
const until = async (cond: () => Promise<boolean> | boolean, what: string, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

for (const dialect of dialects) {
  describe(`mail.send job on ${dialect}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });
    const setup = async (sink?: SmtpSink) => {
      const t: TestDb = await createTestDb(dialect);
      const mailer = createMailer({
        db: t.db,
        clock: systemClock,
        config: loadConfig({ MAIL_FROM: FROM, ...(sink ? { SMTP_URL: sink.url } : {}) }).mail,
      });
      const runner = new JobRunner({
        db: t.db,
        clock: systemClock,
        handlers: [handle(MAIL_SEND_JOB, (p) => sendQueuedMail({ mailer }, p))],
        pollMs: 50,
        backoffMs: 10,
      });
      const jobs = createJobQueue(t.db, systemClock, () => runner.wake());
      cleanups.push(t.cleanup, mailer.close, () => runner.stop());
      runner.start();
      return { t, mailer, jobs, deps: { mailer, jobs, db: t.db } };
    };

    test('mail queued in a committed transaction is sent once, with the Message-ID fixed at enqueue', async () => {
      const { t, deps } = await setup();
      const queued = await t.db.kysely.transaction().execute(async (trx) => enqueueMail(deps, message(), { trx }));
      deps.jobs.notify();
      await until(async () => (await findJob(t.db.kysely, queued.jobId))?.status === 'done', 'the job');
      const stored = await findOutboxMessageByMessageId(deps, queued.messageId);
      assert.equal(stored?.subject, 'Thank you for your support');
      assert.equal(stored?.html, '<p>Your receipt.</p>');
      assert.deepEqual(stored?.headers, { 'X-Masthead-Receipt': 'r-1' });
      assert.equal((await listOutbox(deps, { page: 1, perPage: 10 })).total, 1);
    });

    test('mail queued in a rolled-back transaction never exists', async () => {
      const { t, deps } = await setup();
      await assert.rejects(
        t.db.kysely.transaction().execute(async (trx) => {
          await enqueueMail(deps, message(), { trx });
          throw new Error('the change failed');
        }),
        /the change failed/,
      );
      await new Promise((r) => setTimeout(r, 150));
      const jobs = await t.db.kysely.selectFrom('jobs').select('id').where('type', '=', MAIL_SEND_JOB.type).execute();
      assert.equal(jobs.length, 0);
      assert.equal((await listOutbox(deps, { page: 1, perPage: 10 })).total, 0);
    });

    test('an unsendable message is refused at enqueue; one already in the table fails once without retries', async () => {
      const { t, deps } = await setup();
      await assert.rejects(
        enqueueMail(deps, message({ subject: 'Hi\r\nBcc: everyone@example.org' })),
        (err: unknown) => isAppError(err) && err.code === 'MAIL_INVALID',
      );
      assert.equal((await t.db.kysely.selectFrom('jobs').select('id').execute()).length, 0);
      const id = await deps.jobs.enqueue(MAIL_SEND_JOB.type, {
        ...message({ subject: 'Hi\r\nBcc: everyone@example.org' }),
        messageId: '<x@meridian.example>',
      });
      await until(async () => (await findJob(t.db.kysely, id))?.status === 'failed', 'the job to fail');
      const job = await findJob(t.db.kysely, id);
      assert.equal(job?.attempts, 1);
      assert.match(job?.last_error ?? '', /invalid payload/);
      assert.equal((await listOutbox(deps, { page: 1, perPage: 10 })).total, 0);
    });

    test('over SMTP, a 4xx is retried with the same Message-ID and a 5xx leaves the job failed with the reason', async () => {
      const sink = await startSmtpSink();
      cleanups.push(sink.close);
      const { t, deps } = await setup(sink);
      sink.refuse('data', 451);
      const retried = await enqueueMail(deps, message(), { maxAttempts: 3 });
      await until(async () => (await findJob(t.db.kysely, retried.jobId))?.status === 'done', 'the retried job');
      const [got] = await sink.waitFor(1);
      assert.equal(got?.parsed.messageId, retried.messageId);
      assert.equal((await findJob(t.db.kysely, retried.jobId))?.attempts, 2);

      sink.refuse('rcpt', 550, 2);
      const refused = await enqueueMail(deps, message({ to: 'gone@example.org' }), { maxAttempts: 5 });
      await until(async () => (await findJob(t.db.kysely, refused.jobId))?.status === 'failed', 'the refused job');
      const failed = await findJob(t.db.kysely, refused.jobId);
      assert.match(failed?.last_error ?? '', /550/);
      assert.equal(failed?.attempts, 1, 'a permanent refusal is not retried');
      assert.equal(sink.messages.length, 1);
    });
  });
}
