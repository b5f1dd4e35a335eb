import type { MailMessage } from '#mail';
import type { Settings } from '#settings';
import { formatMoney, type Frequency } from './money.ts';

const PERIOD: Record<Frequency, string> = { once: 'one-time gift', month: 'monthly support', year: 'annual support' };

// One formatter for every receipt: toLocaleDateString builds a new one per call, which was
// about 5 % of the server's CPU when ingesting webhooks (bench:support profile).
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function day(iso: string): string {
  return DAY.format(new Date(iso));
}

const manageLine = (s: Settings) =>
  `To change or cancel your support, ask for a sign-in link at ${s.baseUrl}/support/manage (no password needed).`;

/** The receipt for one payment: amount, date, frequency and how to manage. */
export function receiptMessage(
  s: Settings,
  to: string,
  p: {
    amount: number;
    currency: string;
    frequency: Frequency;
    occurredAt: string;
    reference: string;
    testMode: boolean;
  },
): MailMessage {
  const amount = formatMoney(p.amount, p.currency);
  return {
    to,
    subject: `${p.testMode ? '[TEST MODE] ' : ''}Your receipt from ${s.name}: ${amount}${p.frequency === 'once' ? '' : `/${p.frequency}`}`,
    text: [
      ...(p.testMode ? ['TEST MODE — no money moves. This receipt is for a simulated payment.', ''] : []),
      `Thank you for supporting ${s.name}.`,
      '',
      `Amount:    ${amount} ${p.currency}`,
      `Date:      ${day(p.occurredAt)}`,
      `Frequency: ${PERIOD[p.frequency]}${p.frequency === 'once' ? '' : ` (renews every ${p.frequency})`}`,
      `Reference: ${p.reference}`,
      '',
      manageLine(s),
    ].join('\n'),
    category: 'support.receipt',
  };
}

/** The magic link: single use, 30 minutes. */
export function manageLinkMessage(s: Settings, to: string, token: string): MailMessage {
  return {
    to,
    subject: `Manage your support for ${s.name}`,
    text: [
      `Someone, probably you, asked to manage the support given to ${s.name} from this address.`,
      '',
      'Open this link within 30 minutes (it works once):',
      `${s.baseUrl}/support/manage/${token}`,
      '',
      'If it was not you, ignore this message: nothing changes.',
    ].join('\n'),
    category: 'support.manage-link',
  };
}

/** Confirms a change or a cancellation made through self-service. */
export function changeConfirmationMessage(
  s: Settings,
  to: string,
  what: string,
  outcome: 'changed' | 'cancelled',
): MailMessage {
  return {
    to,
    subject: `Your support for ${s.name} was ${outcome}`,
    text: [what, '', 'If you did not do this, reply to this message.', '', manageLine(s)].join('\n'),
    category: 'support.change',
  };
}

export function statementMessage(
  s: Settings,
  to: string,
  year: number,
  rows: { occurredAt: string; amount: number; currency: string; kind: string }[],
): MailMessage {
  const lines = rows.map(
    (r) => `${day(r.occurredAt).padEnd(20)} ${r.kind.padEnd(12)} ${formatMoney(r.amount, r.currency)} ${r.currency}`,
  );
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.currency, (totals.get(r.currency) ?? 0) + r.amount);
  return {
    to,
    subject: `Your ${year} statement from ${s.name}`,
    text: [
      `Your support for ${s.name} in ${year}:`,
      '',
      ...(lines.length ? lines : ['(no payments)']),
      '',
      ...[...totals].map(([c, t]) => `Total ${c}: ${formatMoney(t, c)}`),
      '',
      manageLine(s),
    ].join('\n'),
    category: 'support.statement',
  };
}

export function reminderMessage(s: Settings, to: string): MailMessage {
  return {
    to,
    subject: `A reminder from ${s.name}`,
    text: [
      `You asked us to remind you this month about supporting ${s.name}.`,
      '',
      `If you can, give here: ${s.baseUrl}/support`,
      '',
      'This is the only reminder we will send; your address has now been deleted.',
    ].join('\n'),
    category: 'support.reminder',
  };
}
