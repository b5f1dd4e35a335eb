import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '#config';
import { deliveryProgress, startSending } from '#newsletter';
import { createTestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { addRenderedEdition, addSubscribers } from '#test/delivery.ts';
import { startFaultySmtp } from '#test/faulty-smtp.ts';
import { until } from '#test/newsletter.ts';

const FROM = 'The Meridian Dispatch <news@meridian.example>';

/** A header's tags (`d=example.org; s=sel; …`). */
function tags(value: string): Map<string, string> {
  return new Map(
    value
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => [p.slice(0, p.indexOf('=')).trim(), p.slice(p.indexOf('=') + 1).replace(/\s+/g, '')]),
  );
}

const relaxedValue = (v: string) =>
  v
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();

/**
 * Checks a DKIM signature (RFC 6376, relaxed/relaxed, rsa-sha256) against a public key,
 * written from the RFC for this test: body hash first, then the signed header block.
 */
function verifyDkim(raw: string, publicKey: crypto.KeyObject): { ok: boolean; d: string; s: string; why?: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split + 2);
  const body = raw.slice(split + 4);
  const fields: { name: string; raw: string; value: string }[] = [];
  for (const line of head.split(/\r\n(?![ \t])/)) {
    if (!line) continue;
    const colon = line.indexOf(':');
    fields.push({ name: line.slice(0, colon).trim().toLowerCase(), raw: line, value: line.slice(colon + 1) });
  }
  const sig = fields.find((f) => f.name === 'dkim-signature');
  if (!sig) return { ok: false, d: '', s: '', why: 'no signature' };
  const t = tags(sig.value);
  const d = t.get('d') ?? '';
  const s = t.get('s') ?? '';
  if (t.get('a') !== 'rsa-sha256' || t.get('c') !== 'relaxed/relaxed')
    return { ok: false, d, s, why: `unexpected a=${t.get('a')} c=${t.get('c')}` };
  let canonBody = body
    .split('\r\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
    .join('\r\n')
    .replace(/(\r\n)+$/, '');
  if (canonBody !== '') canonBody += '\r\n';
  const bh = crypto.createHash('sha256').update(canonBody).digest('base64');
  if (bh !== t.get('bh')) return { ok: false, d, s, why: 'body hash differs' };
  const used = new Set<number>();
  const lines: string[] = [];
  for (const name of (t.get('h') ?? '').toLowerCase().split(':')) {
    // Repeated fields are taken from the bottom up.
    let i = fields.length - 1;
    while (i >= 0 && (fields[i]?.name !== name || used.has(i))) i--;
    if (i < 0) continue;
    used.add(i);
    lines.push(`${name}:${relaxedValue(fields[i]?.value ?? '')}`);
  }
  const unsigned = sig.value.replace(/(^|;)(\s*b\s*=)[^;]*/, '$1$2');
  const data = `${lines.map((l) => `${l}\r\n`).join('')}dkim-signature:${relaxedValue(unsigned)}`;
  const ok = crypto.verify('sha256', Buffer.from(data), publicKey, Buffer.from(t.get('b') ?? '', 'base64'));
  return { ok, d, s, ...(ok ? {} : { why: 'signature does not verify' }) };
}

for (const dialect of dialects) {
  test(
    `editions are DKIM-signed when a key is configured, and the signature verifies (${dialect})`,
    { timeout: 60_000 },
    async () => {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const smtp = await startFaultySmtp();
      // One line with \n escapes, as many hosts store variables.
      const t = await createTestApp(dialect, {
        env: {
          SMTP_URL: smtp.url,
          MAIL_FROM: FROM,
          DKIM_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
          DKIM_SELECTOR: 'mh2026',
        },
      });
      try {
        const deps = t.app.masthead.newsletter;
        await addSubscribers(t.testDb.db, 3);
        const id = await addRenderedEdition(t.testDb.db, { subject: 'Signed: Ünïcödé subject' });
        await startSending(deps, id);
        t.app.masthead.startWorker();
        await until(async () => (await deliveryProgress(deps, id)).status === 'sent', 'the edition to be sent');
        assert.equal(smtp.accepted.length, 3);
        for (const m of smtp.accepted) {
          const raw = m.raw ?? '';
          const r = verifyDkim(raw, publicKey);
          assert.deepEqual(r, { ok: true, d: 'meridian.example', s: 'mh2026' });
          const signed =
            tags(/^DKIM-Signature:(.*(?:\r\n[ \t].*)*)/im.exec(raw)?.[1] ?? '')
              .get('h')
              ?.toLowerCase()
              .split(':') ?? [];
          for (const h of ['from', 'subject', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post'])
            assert.ok(signed.includes(h), `${h} is signed`);
          // Tampering is caught: the same message with one body character changed fails.
          assert.equal(verifyDkim(raw.replace('This week', 'That week'), publicKey).ok, false);
        }
      } finally {
        await t.close();
        await smtp.close();
      }
    },
  );
}

test('delivery settings: defaults, DKIM needs an RSA key and a selector, bad keys are refused without being quoted', async () => {
  const base = { MAIL_FROM: FROM };
  assert.equal(loadConfig(base).newsletter.dkim, undefined);
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const ed = crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const c = loadConfig({ ...base, DKIM_PRIVATE_KEY: pem, DKIM_SELECTOR: 'sel1', DKIM_DOMAIN: 'Mail.Meridian.example' });
  assert.deepEqual(c.newsletter.dkim, { domainName: 'mail.meridian.example', keySelector: 'sel1', privateKey: pem });
  const issues = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, ...env });
      return [];
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.issues;
    }
  };
  assert.deepEqual(issues({ DKIM_PRIVATE_KEY: pem }), [
    'DKIM_SELECTOR: required with a DKIM key (the name of its DNS record, <selector>._domainkey.<domain>)',
  ]);
  const bad = issues({
    DKIM_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nsecret-material\n-----END PRIVATE KEY-----',
    DKIM_SELECTOR: 's',
  });
  assert.deepEqual(bad, ['DKIM_PRIVATE_KEY: not a PEM private key']);
  assert.ok(!bad.join().includes('secret-material'));
  assert.deepEqual(issues({ DKIM_PRIVATE_KEY_FILE: '/nonexistent/dkim.pem', DKIM_SELECTOR: 's' }), [
    'DKIM_PRIVATE_KEY_FILE: cannot read that file',
  ]);
  assert.deepEqual(issues({ DKIM_PRIVATE_KEY: ed, DKIM_SELECTOR: 's' }), [
    'DKIM_PRIVATE_KEY: must be an RSA private key (2048 bits is usual)',
  ]);
  assert.deepEqual(issues({ DKIM_SELECTOR: 'sel1' }), [
    'DKIM_SELECTOR: set DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE too, or remove it',
  ]);
  assert.deepEqual(
    issues({ DKIM_SELECTOR: 'bad selector!', DKIM_PRIVATE_KEY: pem }).map((i) => i.split(':')[0]),
    ['DKIM_SELECTOR'],
  );
  assert.deepEqual(
    issues({ NEWSLETTER_SEND_LANES: '0', NEWSLETTER_BATCH_SIZE: 'many' })
      .map((i) => i.split(':')[0])
      .sort(),
    ['NEWSLETTER_BATCH_SIZE', 'NEWSLETTER_SEND_LANES'],
  );
  const d = loadConfig(base).newsletter;
  assert.deepEqual(
    { ...d, dkim: null },
    {
      connections: 8,
      ratePerSecond: undefined,
      batchSize: 100,
      lanes: 2,
      maxAttempts: 5,
      retryBaseMs: 60_000,
      dkim: null,
    },
  );
});
