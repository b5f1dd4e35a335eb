import { ValidationError } from '#lib/errors.ts';

/** Currencies readers may give in. Every one has two decimal places (minor unit = 1/100). */
export const CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const FREQUENCIES = ['once', 'month', 'year'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

const SYMBOLS: Record<Currency, string> = { USD: '$', EUR: '€', GBP: '£' };

export function isCurrency(v: unknown): v is Currency {
  return typeof v === 'string' && (CURRENCIES as readonly string[]).includes(v);
}

export function isFrequency(v: unknown): v is Frequency {
  return typeof v === 'string' && (FREQUENCIES as readonly string[]).includes(v);
}

export function currencySymbol(c: Currency): string {
  return SYMBOLS[c];
}

/** `$5`, `$5.50`, `€1,200`: whole amounts without cents. */
export function formatMoney(minor: number, currency: string): string {
  const sign = minor < 0 ? '−' : '';
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 100);
  const cents = abs % 100;
  const symbol = isCurrency(currency) ? SYMBOLS[currency] : `${currency} `;
  const digits = whole.toLocaleString('en-US');
  return `${sign}${symbol}${digits}${cents ? `.${String(cents).padStart(2, '0')}` : ''}`;
}

/** The amount with its period, so nobody gives monthly by mistake: `$5`, `$5/month`, `$60/year`. */
export function formatWithPeriod(minor: number, currency: string, frequency: Frequency): string {
  const m = formatMoney(minor, currency);
  return frequency === 'once' ? m : `${m}/${frequency}`;
}

export const FREQUENCY_LABELS: Record<Frequency, string> = { once: 'Once', month: 'Monthly', year: 'Annual' };

// Digits with at most one decimal point; the thousands separator people type is allowed.
const AMOUNT = /^(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]*))?$/;

/**
 * A typed amount in major units ("5", "5.50", "1,000") as minor units. Strict: no signs,
 * exponents, spaces inside, or fractions of a cent (so "5.001" is refused, not rounded).
 */
export function parseAmount(raw: unknown, field = 'amount'): number {
  const invalid = (msg: string) => new ValidationError('SUPPORT_AMOUNT_INVALID', msg, { [field]: msg });
  if (typeof raw !== 'string' || raw.trim() === '') throw invalid('Enter an amount.');
  const s = raw.trim().replace(/^[$€£]\s*/, '');
  if (s.startsWith('-') || s.startsWith('−')) throw invalid('The amount cannot be negative.');
  const m = AMOUNT.exec(s);
  if (!m) throw invalid('Enter the amount as a number, such as 5 or 12.50.');
  const frac = m[1] ?? '';
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) throw invalid('The amount cannot have fractions of a cent.');
  const [wholePart = '0'] = s.split('.');
  const whole = Number(wholePart.replaceAll(',', ''));
  const cents = Number((frac + '00').slice(0, 2));
  const minor = whole * 100 + cents;
  if (!Number.isSafeInteger(minor) || whole > 100_000_000) throw invalid('That amount is too large.');
  return minor;
}
