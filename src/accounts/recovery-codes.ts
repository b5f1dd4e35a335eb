import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

// One-time recovery codes for a staff member who lost their authenticator. Shown once, stored
// only as hashes, each crossed out by the caller when used. See ADR 007.

// Crockford's base32: digits and lowercase letters without i, l, o and u. Input is folded the
// same way (o → 0, i and l → 1), so a code read aloud or copied by hand still matches.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const GROUPS = 3;
const GROUP_LENGTH = 4; // 12 characters × 5 bits = 60 bits per code

/** Makes `count` distinct recovery codes like `7k2m-q9xd-4hfa`, 60 random bits each. */
export function generateRecoveryCodes(count = 10): string[] {
  if (!Number.isInteger(count) || count < 1 || count > 100) {
    throw new RangeError(`count must be an integer from 1 to 100, got ${count}`);
  }
  const codes = new Set<string>();
  while (codes.size < count) {
    const groups = Array.from({ length: GROUPS }, () =>
      Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    );
    codes.add(groups.join('-'));
  }
  return [...codes];
}

/** Folds a typed code to its canonical 12 characters (case, dashes, spaces, look-alikes); null if it cannot be one. */
export function normalizeRecoveryCode(input: string): string | null {
  const folded = input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u2010-\u2015_.-]/g, '') // spaces, dashes of every kind, dots
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
  if (folded.length !== GROUPS * GROUP_LENGTH) return null;
  return [...folded].every((c) => ALPHABET.includes(c)) ? folded : null;
}

// Plain SHA-256 is enough: with 60 random bits there is nothing to guess from a leaked hash,
// and a slow hash would only slow the server. The prefix keeps these hashes apart from others.
function digest(normalized: string): string {
  return createHash('sha256').update(`masthead-recovery-code:${normalized}`).digest('hex');
}

/** Hashes a recovery code for storage (hex SHA-256 of the normalised code). */
export function hashRecoveryCode(code: string): string {
  const normalized = normalizeRecoveryCode(code);
  if (!normalized) throw new RangeError('Not a recovery code');
  return digest(normalized);
}

/** Finds which stored hash a typed code matches: its index, or -1; every hash is compared in constant time. */
export function matchRecoveryCode(input: string, hashes: readonly string[]): number {
  const normalized = normalizeRecoveryCode(input);
  if (!normalized) return -1;
  const candidate = Buffer.from(digest(normalized), 'hex');
  let found = -1;
  hashes.forEach((stored, index) => {
    const expected = Buffer.from(stored, 'hex');
    if (expected.length === candidate.length && timingSafeEqual(expected, candidate) && found === -1) found = index;
  });
  return found;
}
