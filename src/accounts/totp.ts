import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { renderSVG } from 'uqr';

// Time-based one-time codes (RFC 6238 over RFC 4226 HOTP) with the settings every authenticator
// app assumes when a URI says nothing else: SHA-1, 6 digits, 30-second steps. See ADR 007.

/** Seconds each code lasts. */
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;
const SECRET_BYTES = 20; // RFC 4226 recommends 160 bits, the size of a SHA-1 block output
const MIN_SECRET_BYTES = 16; // RFC 4226 requires at least 128 bits
const DRIFT_STEPS = 1; // a phone clock up to 30 s off still works; RFC 6238 §5.2 suggests one step

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Encodes bytes as RFC 4648 base32 without padding, the form authenticator apps accept. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (any case, spaces and padding ignored); null when it is not base32. */
export function base32Decode(text: string): Buffer | null {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** Computes the RFC 4226 HOTP code for a key and counter. */
export function hotp(key: Uint8Array, counter: number, digits = DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f; // dynamic truncation, RFC 4226 §5.3
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The 30-second step a moment falls in (RFC 6238 T, counted from the Unix epoch). */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** Makes a new random TOTP secret: 20 bytes from node:crypto, as base32. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

/** Builds the otpauth:// URI an authenticator app reads from the enrolment QR code. */
export function totpUri(input: { secret: string; account: string; issuer: string }): string {
  // Key URI format: the label is "issuer:account"; spaces must be %20, never "+".
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const query = [
    `secret=${input.secret}`,
    `issuer=${encodeURIComponent(input.issuer)}`,
    'algorithm=SHA1',
    `digits=${DIGITS}`,
    `period=${TOTP_PERIOD_SECONDS}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}

export type TotpResult = { ok: boolean; step?: number };

/**
 * Checks a code typed by a person against the secret, within one step of clock drift; on success
 * returns the step, which the caller stores as `lastUsedStep` so the same code cannot be replayed.
 */
export function verifyTotp(secret: string, code: string, options: { now: Date; lastUsedStep?: number }): TotpResult {
  const digits = code.replace(/\s+/g, '');
  if (!/^[0-9]{6}$/.test(digits)) return { ok: false };
  const key = base32Decode(secret);
  if (!key || key.length < MIN_SECRET_BYTES) return { ok: false };
  const current = totpStep(options.now);
  const last = options.lastUsedStep ?? -Infinity;
  let matched: number | undefined;
  // Compare every candidate step rather than stopping at the first match, so timing says nothing.
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    const same = timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(digits));
    // A step at or before the last one used is a replay, even when the code itself is right.
    if (same && step > last && matched === undefined) matched = step;
  }
  return matched === undefined ? { ok: false } : { ok: true, step: matched };
}

/**
 * Renders the enrolment URI as a QR code in an SVG string: one rect and one path, no text, no
 * scripts and no external references, so it can be inlined under a strict CSP.
 */
export function totpQrSvg(uri: string): string {
  const svg = renderSVG(uri, { ecc: 'M', border: 4 });
  return svg.replace('<svg ', '<svg role="img" aria-label="QR code for your authenticator app" ');
}
