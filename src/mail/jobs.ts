import { z } from 'zod';
import { jobType, type EnqueueOptions } from '#jobs';
import { validateMessage, messageProblems } from './message.ts';
import type { MailDeps, MailMessage } from './types.ts';

// The payload is checked with the same rules as a direct send, so a message that can never
// be sent fails once as an invalid payload instead of being retried.
const payload = z
  .object({
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    messageId: z.string(),
    category: z.string(),
  })
  .superRefine((m, ctx) => {
    for (const [field, problem] of Object.entries(messageProblems(m)))
      ctx.addIssue({ code: 'custom', path: [field], message: problem });
  });

export type MailJobPayload = z.output<typeof payload>;

/** `mail.send`: one queued message. */
export const MAIL_SEND_JOB = jobType('mail.send', payload);

/**
 * Queues a message to be sent by a worker. Pass the caller's transaction as `trx` so the
 * mail exists if and only if the change it reports commits. The Message-ID is fixed now, so
 * every attempt of the job sends the same one. Call `deps.jobs.notify()` after the commit.
 */
export async function enqueueMail(
  deps: Pick<MailDeps, 'mailer' | 'jobs'>,
  message: MailMessage,
  opts: EnqueueOptions = {},
): Promise<{ messageId: string; jobId: number }> {
  const m = validateMessage(message, () => deps.mailer.newMessageId());
  const p: MailJobPayload = {
    to: m.to,
    subject: m.subject,
    text: m.text,
    ...(m.html !== null ? { html: m.html } : {}),
    ...(Object.keys(m.headers).length > 0 ? { headers: m.headers } : {}),
    messageId: m.messageId,
    category: m.category,
  };
  const jobId = await deps.jobs.enqueue(MAIL_SEND_JOB, p, opts);
  return { messageId: m.messageId, jobId };
}

/** The work of a `mail.send` job: hands the message to the mailer; a refused message fails the attempt and is retried. */
export async function sendQueuedMail(deps: Pick<MailDeps, 'mailer'>, p: MailJobPayload): Promise<void> {
  await deps.mailer.send(p);
}
