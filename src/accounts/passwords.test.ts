import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DUMMY_HASH,
  SCRYPT_PARAMS,
  checkPasswordPolicy,
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords.ts';

// Full-cost hashes take ~0.5 s each; most tests use a cheap cost, which the format records.
const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe('hashPassword / verifyPassword', () => {
  test('round trip at the production cost, in the self-describing format', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const [scheme, n, r, p, salt = '', key = ''] = stored.split('$');
    assert.deepEqual([scheme, n, r, p], ['scrypt', '131072', '8', '1']);
    assert.equal(Buffer.from(salt, 'base64url').length, 16);
    assert.equal(Buffer.from(key, 'base64url').length, 64);
    assert.match(stored, /^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    assert.equal(await verifyPassword('correct horse battery staple', stored), true);
    assert.equal(await verifyPassword('correct horse battery stapl', stored), false);
    assert.equal(needsRehash(stored), false);
  });

  test('the same password gets a fresh salt every time', async () => {
    const a = await hashPassword('same password twice', CHEAP);
    const b = await hashPassword('same password twice', CHEAP);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('same password twice', a), true);
    assert.equal(await verifyPassword('same password twice', b), true);
  });

  test('a wrong or differently cased password is refused', async () => {
    const stored = await hashPassword('Kettle minor pivot 42', CHEAP);
    assert.equal(await verifyPassword('kettle minor pivot 42', stored), false);
    assert.equal(await verifyPassword('', stored), false);
  });

  test('composed and decomposed Unicode are the same password (NFKC)', async () => {
    const stored = await hashPassword('caf\u00e9 con leche a las tres', CHEAP);
    assert.equal(await verifyPassword('cafe\u0301 con leche a las tres', stored), true);
  });

  test('a tampered hash is refused', async () => {
    const stored = await hashPassword('tamper with me please', CHEAP);
    const last = stored.at(-2) === 'A' ? 'B' : 'A';
    const tampered = stored.slice(0, -2) + last + stored.slice(-1);
    assert.equal(await verifyPassword('tamper with me please', tampered), false);
  });

  test('malformed stored strings return false rather than throwing', async () => {
    const good = await hashPassword('a perfectly fine password', CHEAP);
    const [, , , , salt, key] = good.split('$');
    const malformed = [
      '',
      'garbage',
      'scrypt$',
      '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW',
      `argon2id$1024$8$1$${salt}$${key}`,
      `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 40}$8$1$${salt}$${key}`, // would need terabytes
      `scrypt$1024$8$1$${salt}$${key}$extra`,
      `scrypt$1024$8$1$${salt}$not+base64/`,
      `scrypt$1024$8$1$$${key}`,
      `scrypt$1024$8$1$${salt}$AAAA`, // 3-byte key
      `scrypt$-1024$8$1$${salt}$${key}`,
      `scrypt$1024$0$1$${salt}$${key}`,
    ];
    for (const stored of malformed) {
      assert.equal(await verifyPassword('a perfectly fine password', stored), false, stored);
      assert.equal(needsRehash(stored), true, stored);
    }
    assert.equal(await verifyPassword('x', null as unknown as string), false);
  });

  test('needsRehash asks for an upgrade when the cost is below SCRYPT_PARAMS', async () => {
    assert.equal(needsRehash(await hashPassword('cheap hash to upgrade', CHEAP)), true);
    assert.deepEqual({ ...SCRYPT_PARAMS }, { N: 131072, r: 8, p: 1 });
  });

  test('the dummy hash costs what a real one does and never matches', async () => {
    // If SCRYPT_PARAMS change and DUMMY_HASH does not, unknown emails would answer faster.
    assert.equal(needsRehash(DUMMY_HASH), false);
    assert.equal(await verifyAgainstDummy('correct horse battery staple'), false);
  });
});

describe('checkPasswordPolicy', () => {
  const context = { email: 'maria.lopez@elfaro.net', name: 'María López', publication: 'El Faro' };
  const codeOf = (plain: string) => {
    const result = checkPasswordPolicy(plain, context);
    return result.ok ? 'OK' : result.code;
  };

  test('accepts long passphrases, Unicode ones and random strings', () => {
    const seventy = 'the printing press in the basement still smells of ink and old coffee!';
    assert.equal([...seventy].length, 70);
    for (const ok of [
      seventy,
      'correct horse battery staple',
      'Ñandú corre por la pampa',
      '日本語のパスワードは長い',
      'Xk9#mP2$vL7q',
      'monkey8372619405',
      'maria lopez reporter at el faro since 2010', // personal words, but plenty besides
      'a'.repeat(500) + ' then a real sentence about the river flooding in spring of 2019 ' + 'x'.repeat(10),
    ]) {
      assert.equal(codeOf(ok), 'OK', ok);
    }
    assert.deepEqual(checkPasswordPolicy('kettle minor pivot'), { ok: true });
  });

  test('length is counted in code points after NFKC, from 12 to 1024', () => {
    assert.equal(codeOf('short'), 'ACCOUNTS_PASSWORD_TOO_SHORT');
    assert.equal(codeOf('kettle-minor'), 'OK');
    assert.equal(codeOf('kettle-mino'), 'ACCOUNTS_PASSWORD_TOO_SHORT');
    assert.equal(codeOf('🔒🗝️📰🌍🕯️🧭🪶'), 'ACCOUNTS_PASSWORD_TOO_SHORT'); // 20 UTF-16 units, 9 code points
    const long = (n: number) => Array.from({ length: n }, (_, i) => 'kettle minor pivot '[i % 19]).join('');
    assert.equal(codeOf(long(1024)), 'OK');
    assert.equal(codeOf(long(1025)), 'ACCOUNTS_PASSWORD_TOO_LONG');
  });

  test('refuses common and breached passwords, case-insensitively and in disguise', () => {
    for (const common of [
      'password1234',
      'qwertyuiop12',
      'PASSWORD1234',
      'P@ssw0rd2024',
      'sunshine2024!',
      'football1234',
      'monkey12345678',
      'ｐａｓｓｗｏｒｄ１２３４',
    ]) {
      assert.equal(codeOf(common), 'ACCOUNTS_PASSWORD_COMMON', common);
    }
  });

  test('refuses passwords built from the email, name or publication', () => {
    for (const personal of [
      'MariaLopez2024!',
      'maria.lopez@elfaro.net',
      'elfaro-elfaro-2024',
      'Mar1aL0pez2024!!',
      'maría lópez 123456',
      'ElFaroElFaro99',
    ]) {
      assert.equal(codeOf(personal), 'ACCOUNTS_PASSWORD_PERSONAL', personal);
    }
    // Without that context the same password is fine.
    assert.deepEqual(checkPasswordPolicy('MariaLopez2024!'), { ok: true });
  });

  test('refuses long repeats, sequences and keyboard walks', () => {
    for (const predictable of [
      'aaaaaaaaaaaa',
      'abcdefghijklmn',
      '11112222333344',
      'qwertyuiopasdf',
      'abcabcabcabc',
      'Dragon!Dragon!',
      'aaaaaaaaaaaaaaaaaaaaaaaa1234',
    ]) {
      assert.equal(codeOf(predictable), 'ACCOUNTS_PASSWORD_PREDICTABLE', predictable);
    }
  });

  test('refusals come with a message that says what to do', () => {
    const result = checkPasswordPolicy('password1234', context);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.message.length > 20 && !result.message.includes('password1234'));
  });
});
