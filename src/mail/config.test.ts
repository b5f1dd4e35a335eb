import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '#config';

test('without SMTP_URL mail goes to the outbox from a placeholder address', () => {
  const c = loadConfig({});
  assert.equal(c.mail.smtpUrl, undefined);
  assert.equal(c.mail.poolMax, 5);
  assert.equal(c.mail.ratePerSecond, undefined);
  assert.match(c.mail.from.address, /@.+\..+$/);
});

test('SMTP_URL, MAIL_FROM, pool size and rate are read', () => {
  const c = loadConfig({
    SMTP_URL: 'smtps://user:p%40ss@smtp.example.org:465',
    MAIL_FROM: 'The Meridian Dispatch <news@example.org>',
    SMTP_POOL_MAX: '8',
    SMTP_RATE_PER_SECOND: '14',
  });
  assert.deepEqual(c.mail, {
    smtpUrl: 'smtps://user:p%40ss@smtp.example.org:465',
    from: { name: 'The Meridian Dispatch', address: 'news@example.org' },
    poolMax: 8,
    ratePerSecond: 14,
  });
  assert.deepEqual(loadConfig({ MAIL_FROM: '"Meridian, Inc." <news@example.org>' }).mail.from, {
    name: 'Meridian, Inc.',
    address: 'news@example.org',
  });
  assert.deepEqual(loadConfig({ MAIL_FROM: 'news@example.org' }).mail.from, { name: '', address: 'news@example.org' });
});

test('bad mail settings are all reported at boot, without echoing the password', () => {
  const keysOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.doesNotMatch(err.message, /hunter2/);
      return err.issues.map((i) => i.split(':')[0]).sort();
    }
    assert.fail('should have thrown');
  };
  assert.deepEqual(keysOf({ SMTP_URL: 'smtp://u:hunter2@smtp.example.org' }), ['MAIL_FROM']);
  assert.deepEqual(
    keysOf({
      SMTP_URL: 'http://u:hunter2@smtp.example.org',
      MAIL_FROM: 'Name <news@localhost>',
      SMTP_POOL_MAX: '0',
      SMTP_RATE_PER_SECOND: 'fast',
    }),
    ['MAIL_FROM', 'SMTP_POOL_MAX', 'SMTP_RATE_PER_SECOND', 'SMTP_URL'],
  );
  assert.deepEqual(
    keysOf({ SMTP_URL: 'smtp://u:hunter2@', MAIL_FROM: 'Name <news@example.org>\r\nBcc: x@example.org' }),
    ['MAIL_FROM', 'SMTP_URL'],
  );
});
