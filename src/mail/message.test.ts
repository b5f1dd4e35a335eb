import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '#lib/errors.ts';
import { isValidAddress, messageProblems, newMessageId, validateMessage } from './message.ts';
import type { MailMessage } from './types.ts';

const ok: MailMessage = {
  to: 'reader@example.org',
  subject: 'Confirm your subscription',
  text: 'Hello',
  category: 'newsletter.confirmation',
};

test('addresses: one bare addr-spec with a dotted domain, nothing else', () => {
  for (const good of [
    'reader@example.org',
    'first.last+tag@mail.example.co.uk',
    "o'brien@example.ie",
    'čtenář@příklad.cz',
    'a@b.io',
  ]) {
    assert.equal(isValidAddress(good), true, good);
  }
  for (const bad of [
    '',
    'reader',
    'reader@',
    '@example.org',
    'reader@localhost',
    'reader@example.123',
    'Reader <reader@example.org>',
    'a@example.org, b@example.org',
    'a@example.org\r\nBcc: victim@example.org',
    'a@example.org\n',
    ' a@example.org',
    'a b@example.org',
    'a..b@example.org',
    '.a@example.org',
    'a@-example.org',
    'a@example..org',
    `${'x'.repeat(65)}@example.org`,
    `a@${'x'.repeat(250)}.org`,
    'a@exa\u2028mple.org',
    'a"b@example.org',
  ]) {
    assert.equal(isValidAddress(bad), false, JSON.stringify(bad));
  }
});

test('Message-IDs are random and on the domain of the From address', () => {
  const a = newMessageId('news@Example.ORG');
  const b = newMessageId('news@example.org');
  assert.match(a, /^<[0-9a-f-]{36}@example\.org>$/);
  assert.notEqual(a, b);
  assert.match(newMessageId('news@příklad.cz'), /@xn--pklad-zsa96e\.cz>$/);
});

test('header injection through any header field is refused with the field named', () => {
  const cases: [Partial<MailMessage>, string][] = [
    [{ to: 'reader@example.org\r\nBcc: everyone@example.org' }, 'to'],
    [{ subject: 'Hello\r\nBcc: everyone@example.org' }, 'subject'],
    [{ subject: 'Hello\nX-Evil: 1' }, 'subject'],
    [{ subject: 'Hello\rX-Evil: 1' }, 'subject'],
    [{ subject: 'Hello\u0000' }, 'subject'],
    [{ subject: 'Hello\u2028X-Evil: 1' }, 'subject'],
    [
      { headers: { 'List-Unsubscribe': '<https://x.example/u>\r\nBcc: everyone@example.org' } },
      'headers.List-Unsubscribe',
    ],
    [{ headers: { 'X-Ok': 'fine', 'X-Evil': 'a\nb' } }, 'headers.X-Evil'],
    [{ headers: { 'X-Evil\r\nBcc': 'everyone@example.org' } }, 'headers.X-Evil\r\nBcc'],
    [{ headers: { 'X:Evil': '1' } }, 'headers.X:Evil'],
    [{ headers: { bcc: 'everyone@example.org' } }, 'headers.bcc'],
    [{ headers: { 'Content-Type': 'text/html' } }, 'headers.Content-Type'],
    [{ messageId: '<a@example.org>\r\nBcc: everyone@example.org' }, 'messageId'],
    [{ messageId: 'no-brackets@example.org' }, 'messageId'],
    [{ category: 'Newsletter Confirmation' }, 'category'],
    [{ text: '   ' }, 'text'],
  ];
  for (const [change, field] of cases) {
    const m = { ...ok, ...change };
    assert.deepEqual(Object.keys(messageProblems(m)), [field], JSON.stringify(change));
    assert.throws(
      () => validateMessage(m, () => '<x@example.org>'),
      (err: unknown) => isAppError(err) && err.code === 'MAIL_INVALID' && err.status === 400,
    );
  }
});

test('a valid message keeps its id or gets a new one, and bodies may hold line breaks', () => {
  const m = validateMessage(
    { ...ok, text: 'Line one\r\nLine two\n.\n', html: '<p>a</p>\n<p>b</p>' },
    () => '<new@example.org>',
  );
  assert.equal(m.messageId, '<new@example.org>');
  assert.equal(m.html, '<p>a</p>\n<p>b</p>');
  assert.deepEqual(m.headers, {});
  assert.equal(
    validateMessage({ ...ok, messageId: '<old.1@example.org>' }, () => '<new@example.org>').messageId,
    '<old.1@example.org>',
  );
});
