import { parseEmail as parseAddress } from '#mail';
import { ValidationError } from '#lib/errors.ts';
import { hasControlChars } from '#lib/control-chars.ts';

/** A signup as the form sends it; everything unknown, since it comes from anyone. */
export interface SignupCommand {
  email: unknown;
  /** The honeypot field: people leave it empty, naive bots fill it. */
  honeypot: unknown;
  ip: string;
  /** Path of the page the form was on (from the Referer), if known. */
  source: string | null;
}

/** The address in its stored form, or a ValidationError the form shows. */
export function parseEmail(raw: unknown): string {
  const email = parseAddress(raw);
  if (!email) {
    throw new ValidationError('NEWSLETTER_EMAIL_INVALID', 'Please enter a valid email address.', {
      email: 'Enter an email address like reader@example.org',
    });
  }
  return email;
}

/** A page path to record as the signup's source: same-site paths only, bounded. */
export function parseSource(raw: string | null): string | null {
  if (!raw || raw.length > 300 || !raw.startsWith('/') || raw.startsWith('//')) return null;
  return hasControlChars(raw) ? null : raw;
}
