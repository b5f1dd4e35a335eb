import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  totpQrSvg,
  totpStep,
  totpUri,
  verifyTotp,
} from './totp.ts';

// The seed of the RFC 4226 and RFC 6238 (SHA-1) test vectors.
const SEED = Buffer.from('12345678901234567890', 'ascii');
const SECRET = base32Encode(SEED);

// Codes for `secret` at a given step, computed here so the tests do not depend on verifyTotp.
const codeAt = (secret: string, step: number) => hotp(base32Decode(secret) ?? Buffer.alloc(0), step);
const at = (step: number, secondsIntoStep = 10) => new Date((step * 30 + secondsIntoStep) * 1000);

describe('RFC test vectors', () => {
  test('RFC 4226 Appendix D: HOTP, counters 0 to 9', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    assert.deepEqual(
      expected.map((_, counter) => hotp(SEED, counter)),
      expected,
    );
  });

  test('RFC 6238 Appendix B: TOTP SHA-1, 8 digits', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of vectors) {
      assert.equal(hotp(SEED, totpStep(new Date(seconds * 1000)), 8), code, `T=${seconds}`);
    }
  });

  test('verifyTotp accepts the 6-digit form of the RFC 6238 vectors', () => {
    assert.deepEqual(verifyTotp(SECRET, '287082', { now: new Date(59_000) }), { ok: true, step: 1 });
    assert.deepEqual(verifyTotp(SECRET, '005924', { now: new Date(1234567890_000) }), { ok: true, step: 41152263 });
    assert.deepEqual(verifyTotp(SECRET, '005925', { now: new Date(1234567890_000) }), { ok: false });
  });
});

describe('base32', () => {
  test('encodes RFC 4648 without padding and round-trips', () => {
    assert.equal(SECRET, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
    assert.deepEqual(base32Decode('mzxw 6ytb oi======'), Buffer.from('foobar'));
    assert.equal(base32Decode('MZXW6YTB01'), null); // 0 and 1 are not base32
  });
});

describe('verifyTotp', () => {
  const secret = generateTotpSecret();
  const step = 58_000_000;

  test('accepts the current step and one step of drift either way, not two', () => {
    for (const offset of [-1, 0, 1]) {
      assert.deepEqual(
        verifyTotp(secret, codeAt(secret, step + offset), { now: at(step) }),
        { ok: true, step: step + offset },
        `offset ${offset}`,
      );
    }
    for (const offset of [-2, 2]) {
      assert.deepEqual(
        verifyTotp(secret, codeAt(secret, step + offset), { now: at(step) }),
        { ok: false },
        `offset ${offset}`,
      );
    }
  });

  test('refuses a code from a step already used, and from any earlier step', () => {
    const code = codeAt(secret, step);
    const first = verifyTotp(secret, code, { now: at(step) });
    assert.deepEqual(first, { ok: true, step });
    assert.deepEqual(verifyTotp(secret, code, { now: at(step, 25), lastUsedStep: first.step }), { ok: false });
    assert.deepEqual(verifyTotp(secret, codeAt(secret, step - 1), { now: at(step), lastUsedStep: step }), {
      ok: false,
    });
    assert.deepEqual(verifyTotp(secret, codeAt(secret, step + 1), { now: at(step + 1), lastUsedStep: step }), {
      ok: true,
      step: step + 1,
    });
  });

  test('tolerates spaces and refuses anything but six ASCII digits', () => {
    const code = codeAt(secret, step);
    assert.equal(verifyTotp(secret, ` ${code.slice(0, 3)} ${code.slice(3)}\n`, { now: at(step) }).ok, true);
    const fullwidth = [...code].map((d) => String.fromCodePoint(0xff10 + Number(d))).join('');
    for (const bad of [
      '',
      '12345',
      `${code}0`,
      `${code.slice(0, 5)}a`,
      `-${code.slice(1)}`,
      fullwidth,
      `${code.slice(0, 3)}-${code.slice(3)}`,
    ]) {
      assert.deepEqual(verifyTotp(secret, bad, { now: at(step) }), { ok: false }, bad);
    }
  });

  test('refuses a secret that is not base32 or is too short', () => {
    assert.deepEqual(verifyTotp('not base32!', '123456', { now: at(step) }), { ok: false });
    const short = base32Encode(Buffer.alloc(10, 7));
    assert.deepEqual(verifyTotp(short, codeAt(short, step), { now: at(step) }), { ok: false });
  });
});

describe('enrolment', () => {
  test('generateTotpSecret gives 20 random bytes as base32', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateTotpSecret));
    assert.equal(secrets.size, 50);
    for (const secret of secrets) {
      assert.match(secret, /^[A-Z2-7]{32}$/);
      assert.equal(base32Decode(secret)?.length, 20);
    }
  });

  test('totpUri follows the Key URI format authenticator apps read', () => {
    const uri = totpUri({ secret: SECRET, account: 'maria@elfaro.net', issuer: 'El Faro' });
    assert.equal(
      uri,
      `otpauth://totp/El%20Faro:maria%40elfaro.net?secret=${SECRET}&issuer=El%20Faro&algorithm=SHA1&digits=6&period=30`,
    );
    const parsed = new URL(uri);
    assert.equal(parsed.protocol, 'otpauth:');
    assert.equal(parsed.searchParams.get('issuer'), 'El Faro');
    assert.equal(parsed.searchParams.get('secret'), SECRET);
  });

  test('totpQrSvg is a bare SVG safe to inline under a strict CSP', () => {
    const uri = totpUri({ secret: SECRET, account: 'maria@elfaro.net', issuer: 'El Faro <script>' });
    const svg = totpQrSvg(uri);
    assert.match(svg, /^<svg [^>]*role="img"[^>]*>.*<\/svg>$/s);
    const elements = new Set([...svg.matchAll(/<([a-zA-Z][\w:-]*)/g)].map((m) => m[1]));
    assert.deepEqual([...elements].sort(), ['path', 'rect', 'svg']);
    for (const banned of [
      /script/i,
      /href/i,
      /url\(/i,
      /\son\w+=/i,
      /style/i,
      /https?:\/\/(?!www\.w3\.org\/2000\/svg")/,
    ]) {
      assert.doesNotMatch(svg, banned);
    }
    assert.ok(!svg.includes(SECRET), 'the secret is drawn, never written out');
    assert.notEqual(totpQrSvg(totpUri({ secret: generateTotpSecret(), account: 'a@b.c', issuer: 'X' })), svg);
  });
});
