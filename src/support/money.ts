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

// Spaces people put between groups of digits: plain, no-break and narrow no-break.
const GROUP_SPACE = /[ \u00a0\u202f]/g;

/**
 * Which mark separates the cents in `s`, or null for a whole amount. With both "." and ","
 * the later one does ("1,000.50", "1.000,50"). A lone "," before one or two digits is a
 * decimal comma ("1,50"); before exactly three it groups thousands ("1,000"), as a lone "."
 * has always been the decimal point. Repeated marks only group.
 */
function decimalMark(s: string): '.' | ',' | null {
  const dot = s.lastIndexOf('.');
  const comma = s.lastIndexOf(',');
  if (dot >= 0 && comma >= 0) return dot > comma ? '.' : ',';
  if (dot >= 0) return s.indexOf('.') === dot ? '.' : null;
  if (comma >= 0) return s.indexOf(',') === comma && !/,[0-9]{3}$/.test(s) ? ',' : null;
  return null;
}

/**
 * A typed amount in major units as minor units, in the forms readers write it: "5", "5.50",
 * "5,50", "1,000", "1.000,50", "1 000,50", "1,000.50". Strict: no signs, exponents, mixed or
 * misplaced group marks, or fractions of a cent (so "5.001" is refused, not rounded).
 */
export function parseAmount(raw: unknown, field = 'amount'): number {
  const invalid = (msg: string) => new ValidationError('SUPPORT_AMOUNT_INVALID', msg, { [field]: msg });
  if (typeof raw !== 'string' || raw.trim() === '') throw invalid('Enter an amount.');
  const s = raw
    .trim()
    .replace(/^[$€£]\s*/, '')
    .replace(/\s*[$€£]$/, '')
    .replace(GROUP_SPACE, ' ');
  if (s.startsWith('-') || s.startsWith('−')) throw invalid('The amount cannot be negative.');
  const mark = decimalMark(s);
  const at = mark ? s.lastIndexOf(mark) : s.length;
  const wholePart = s.slice(0, at);
  const frac = s.slice(at + 1);
  const group = mark === '.' ? '[, ]' : mark === ',' ? '[. ]' : '[., ]';
  // One kind of group mark throughout, between groups of exactly three digits.
  const grouped = new RegExp(`^[0-9]{1,3}(${group})[0-9]{3}(?:\\1[0-9]{3})*$`);
  if (!(/^[0-9]+$/.test(wholePart) || grouped.test(wholePart)) || !/^[0-9]*$/.test(frac))
    throw invalid('Enter the amount as a number, such as 5, 12.50 or 12,50.');
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) throw invalid('The amount cannot have fractions of a cent.');
  const whole = Number(wholePart.replace(/[^0-9]/g, ''));
  const cents = Number((frac + '00').slice(0, 2));
  const minor = whole * 100 + cents;
  if (!Number.isSafeInteger(minor) || whole > 100_000_000) throw invalid('That amount is too large.');
  return minor;
}
