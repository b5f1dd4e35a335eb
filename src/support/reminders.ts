import { toDbTime } from '#db';
import { ValidationError } from '#lib/errors.ts';
import { enqueueMail } from '#mail';
import { getSettings } from '#settings';
import type { SupportDeps } from './deps.ts';
import { reminderMessage } from './messages.ts';
import { REMINDER_JOB } from './jobs.ts';
import * as q from './queries.ts';
import { parseEmail } from './self-service.ts';
import { throttle } from './throttle.ts';

/** How many months ahead a reader may pick. */
export const REMINDER_MONTHS_AHEAD = 12;

/** The months a reader may choose, `YYYY-MM`, starting with next month. */
export function reminderMonths(now: Date): string[] {
  const out: string[] = [];
  for (let i = 1; i <= REMINDER_MONTHS_AHEAD; i++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

/**
 * Keeps an address until the chosen month, then sends one reminder and deletes it. The job
 * runs on the 1st of that month (09:00 UTC); the mail is queued in the same transaction that
 * deletes the row, so a retried job finds no row and sends nothing twice.
 */
export async function addReminder(
  deps: SupportDeps,
  form: { email: unknown; month: unknown },
  ip: string,
): Promise<void> {
  await throttle(
    deps,
    'remindersPerNetwork',
    ip,
    'Too many reminders from your network. Please wait an hour and try again.',
  );
  const email = parseEmail(form.email);
  const now = deps.clock.now();
  if (typeof form.month !== 'string' || !reminderMonths(now).includes(form.month)) {
    throw new ValidationError('SUPPORT_MONTH_INVALID', 'Choose a month from the list.', {
      month: 'Choose a month from the list.',
    });
  }
  const [y, m] = form.month.split('-').map(Number) as [number, number];
  const runAt = new Date(Date.UTC(y, m - 1, 1, 9));
  await deps.db.kysely.transaction().execute(async (trx) => {
    const id = await q.insertReminder(trx, { email, month: form.month as string, now: toDbTime(now) });
    await deps.jobs.enqueue(REMINDER_JOB, { id }, { trx, runAt, uniqueKey: `${REMINDER_JOB.type}:${id}` });
  });
}

/** The work of a `support.reminder` job: sends the reminder once and forgets the address. */
export async function sendReminder(deps: SupportDeps, id: number): Promise<void> {
  const settings = await getSettings(deps.settings);
  const sent = await deps.db.kysely.transaction().execute(async (trx) => {
    const r = await q.findReminder(trx, id);
    if (!r) return false;
    await enqueueMail(deps, reminderMessage(settings, r.email), { trx });
    await q.deleteReminder(trx, id);
    return true;
  });
  if (sent) deps.jobs.notify();
}
