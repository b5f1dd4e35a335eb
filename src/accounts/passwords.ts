import { createRequire } from 'node:module';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// Staff passwords: scrypt hashes in a self-describing string, and the rules a new password must
// meet (NIST SP 800-63B: length and a blocklist, no composition rules). See ADR 007.

export type ScryptParams = { N: number; r: number; p: number };

/** The scrypt cost every new hash uses (OWASP: N=2^17, r=8, p=1; 128 MiB and ~0.5 s per hash). */
export const SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
const SALT_BYTES = 16;
const KEY_BYTES = 64;

// When SCRYPT_PARAMS change, paste a new hashPassword(randomBytes(32).toString('base64url'))
// here: a dummy cheaper than real hashes would make unknown emails answer faster (a test checks).
/** A hash of a random, forgotten password at SCRYPT_PARAMS, verified against when the account does not exist. */
export const DUMMY_HASH =
  'scrypt$131072$8$1$cj6DHoI9bumqcBVMhxP0WA$MFh1hhtwDg556kXt0uddb_49bYD_E49GiJdMb2R38GydIINAwrDPaelRiYSzzdDQL0MCy3r0XI7T9CmQLruPdA';

function derive(plain: string, salt: Buffer, params: ScryptParams, keyBytes: number): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default maxmem (32 MiB) refuses N=2^17.
  const options = { ...params, maxmem: 2 * 128 * params.N * params.r };
  // NFKC so the same password typed on another keyboard or OS (composed or decomposed é) matches.
  return new Promise((resolve, reject) => {
    scrypt(plain.normalize('NFKC'), salt, keyBytes, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64url), so the cost can be raised later. */
export async function hashPassword(plain: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(plain, salt, params, KEY_BYTES);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

type Parsed = ScryptParams & { salt: Buffer; key: Buffer };
const B64URL = /^[A-Za-z0-9_-]+$/;
const INT = /^[1-9][0-9]{0,9}$/;

// Bounds keep a corrupt or planted row from making verification allocate gigabytes.
function parse(stored: unknown): Parsed | null {
  if (typeof stored !== 'string') return null;
  const [scheme, n, r, p, salt, key, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0 || !n || !r || !p || !salt || !key) return null;
  if (!INT.test(n) || !INT.test(r) || !INT.test(p) || !B64URL.test(salt) || !B64URL.test(key)) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (params.N < 2 || (params.N & (params.N - 1)) !== 0 || 128 * params.N * params.r > 2 ** 30 || params.p > 16)
    return null;
  const parsed = { ...params, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
  if (parsed.salt.length < 8 || parsed.key.length < 16 || parsed.key.length > 128) return null;
  return parsed;
}

/** Checks a password against a stored hash in constant time; false (never a throw) for malformed hashes. */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || typeof plain !== 'string') return false;
  try {
    const key = await derive(plain, parsed.salt, parsed, parsed.key.length);
    return timingSafeEqual(key, parsed.key);
  } catch {
    return false;
  }
}

/** True when a stored hash is malformed or weaker than SCRYPT_PARAMS, so sign-in should re-hash it. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return true;
  const { N, r, p } = SCRYPT_PARAMS;
  return (
    parsed.N !== N ||
    parsed.r !== r ||
    parsed.p !== p ||
    parsed.salt.length < SALT_BYTES ||
    parsed.key.length !== KEY_BYTES
  );
}

/** Spends the time of a real verification and returns false, so unknown emails cannot be told apart by timing. */
export async function verifyAgainstDummy(plain: string): Promise<false> {
  await verifyPassword(plain, DUMMY_HASH);
  return false;
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

export type PasswordContext = { email?: string; name?: string; publication?: string };
export type PolicyResult = { ok: true } | { ok: false; code: string; message: string };

// The list of common passwords (about 18 MB in memory) loads when a password is first checked.
const requireLazily = createRequire(import.meta.url);
let commonSet: Set<string> | null = null;
function common(): Set<string> {
  if (!commonSet) {
    const { dictionary } = requireLazily('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    commonSet = new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));
  }
  return commonSet;
}
const SUGGESTION = 'A few unrelated words make a strong password that is easy to remember.';

/** Checks a new password against NIST SP 800-63B: 12–1024 characters, not common, not personal, not a run. */
export function checkPasswordPolicy(plain: string, context: PasswordContext = {}): PolicyResult {
  const password = plain.normalize('NFKC');
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return refuse('ACCOUNTS_PASSWORD_TOO_SHORT', `Use at least ${PASSWORD_MIN_LENGTH} characters. ${SUGGESTION}`);
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return refuse('ACCOUNTS_PASSWORD_TOO_LONG', `Use at most ${PASSWORD_MAX_LENGTH} characters.`);
  }
  const lower = password.toLowerCase();
  if (isCommon(lower)) {
    return refuse(
      'ACCOUNTS_PASSWORD_COMMON',
      `This password is on lists of common and leaked passwords that attackers try first. Choose another. ${SUGGESTION}`,
    );
  }
  if (isPredictable(lower)) {
    return refuse(
      'ACCOUNTS_PASSWORD_PREDICTABLE',
      `This password is mostly a repeat or a sequence (like aaaa or 1234), which is guessed quickly. ${SUGGESTION}`,
    );
  }
  if (isPersonal(lower, context)) {
    return refuse(
      'ACCOUNTS_PASSWORD_PERSONAL',
      `This password is mostly your email, your name or the publication's name, which attackers try first. Choose something unrelated. ${SUGGESTION}`,
    );
  }
  return { ok: true };
}

function refuse(code: string, message: string): PolicyResult {
  return { ok: false, code, message };
}

const LEET: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '3': 'e',
  '0': 'o',
  $: 's',
  '5': 's',
  '1': 'i',
  '!': 'i',
  '7': 't',
  '+': 't',
};
const unleet = (s: string, one: 'i' | 'l') => [...s].map((c) => (c === '1' ? one : (LEET[c] ?? c))).join('');

// Catches the list entries themselves and their usual disguises: "P@ssw0rd", "sunshine2024!".
function isCommon(lower: string): boolean {
  if (common().has(lower) || common().has(unleet(lower, 'i')) || common().has(unleet(lower, 'l'))) return true;
  const match = /^([^\p{L}]*)(.*?)([^\p{L}]*)$/u.exec(lower);
  if (!match) return false;
  const [, before = '', core = '', after = ''] = match;
  const affix = before + after;
  if (affix === '' || ([...affix].length > 6 && effectiveLength(affix) > 2)) return false;
  return common().has(core) || common().has(unleet(core, 'i')) || common().has(unleet(core, 'l'));
}

const WORD_SEPARATORS = /[^\p{L}\p{N}]+/u;

function contextTokens(context: PasswordContext): string[] {
  const phrases: string[] = [];
  const [local = '', domain = ''] = (context.email ?? '').toLowerCase().split(/@(?=[^@]*$)/);
  phrases.push(local, domain.split('.')[0] ?? '', context.name ?? '', context.publication ?? '');
  const tokens = new Set<string>();
  for (const phrase of phrases) {
    const words = phrase.normalize('NFKC').toLowerCase().split(WORD_SEPARATORS).filter(Boolean);
    tokens.add(words.join(''));
    for (const word of words) tokens.add(word);
  }
  // Longest first, so "marialopez" goes before "maria" and leaves nothing behind.
  return [...tokens].filter((t) => [...t].length >= 3).sort((a, b) => b.length - a.length);
}

// Personal when, after removing the email, name and publication words, little is left.
function isPersonal(lower: string, context: PasswordContext): boolean {
  const tokens = contextTokens(context);
  return [lower, unleet(lower, 'i'), unleet(lower, 'l')].some((candidate) => {
    let rest = candidate;
    for (const token of tokens) rest = rest.split(token).join(' ');
    if (rest === candidate) return false;
    return effectiveLength(rest.split(WORD_SEPARATORS).join('')) < 8;
  });
}

// Counts characters, but a run with a constant step, by character code or along a keyboard row
// ("aaaa", "1234", "9876", "7890", "qwerty"), counts as its first two: "123456789012" is worth 4,
// and a random string keeps nearly its full length.
function effectiveLength(s: string): number {
  const chars = [...s];
  const byCode = chars.map((c) => c.codePointAt(0) ?? 0);
  return Math.min(countSteps(byCode), countSteps(chars.map(keyPosition)));
}

const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', '!@#$%^&*()'];

function keyPosition(c: string): number {
  for (const [row, keys] of KEYBOARD_ROWS.entries()) {
    if (keys.includes(c)) return row * 100 + keys.indexOf(c);
  }
  return 10_000 + (c.codePointAt(0) ?? 0);
}

function countSteps(values: number[]): number {
  let count = Math.min(values.length, 1);
  let previousStep: number | undefined;
  for (let i = 1; i < values.length; i++) {
    const step = (values[i] ?? 0) - (values[i - 1] ?? 0);
    if (step !== previousStep) count++;
    previousStep = step;
  }
  return count;
}

function isPredictable(lower: string): boolean {
  if (effectiveLength(lower) < 8 || new Set(lower).size < 5) return true;
  // A short block said over and over ("abcabcabcabc", "Dragon!Dragon!", "iloveyou iloveyou") is
  // as weak as the block; separators between the repeats do not help.
  const points = [...lower.split(WORD_SEPARATORS).join('')];
  for (let size = 1; size < PASSWORD_MIN_LENGTH && size <= points.length / 2; size++) {
    if (points.every((c, i) => c === points[i % size])) return true;
  }
  return false;
}
