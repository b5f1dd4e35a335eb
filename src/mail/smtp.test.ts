import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import type { AddressObject } from 'mailparser';
import { loadConfig } from '#config';
import { isAppError } from '#lib/errors.ts';
import { fixedClock } from '#lib/clock.ts';
import { createTestDb, dialects, type TestDb } from '#test/db.ts';
import { createMailer } from './mailer.ts';
import { listOutbox } from './outbox.ts';
import { MailSendError } from './smtp.ts';
import { startSmtpSink, type SmtpSink } from '#test/smtp-sink.ts';
import type { Mailer, MailMessage } from './types.ts';

const FROM = 'The Meridian Dispatch <news@meridian.example>';
const clock = fixedClock('2026-03-06T09:00:00.000Z');
const message = (over: Partial<MailMessage> = {}): MailMessage => ({
  to: 'reader@example.org',
  subject: 'Confirm your subscription',
  text: 'Click the link to confirm.',
  category: 'newsletter.confirmation',
  ...over,
});
const firstAddress = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a[0] : a)?.value[0]?.address;
const headerLine = (raw: string, name: string) =>
  raw
    .split('\r\n\r\n')[0]
    ?.replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));

for (const dialect of dialects) {
  describe(`SMTP mailer on ${dialect}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });
    const setup = async (env: Record<string, string> = {}): Promise<{ t: TestDb; sink: SmtpSink; mailer: Mailer }> => {
      const t = await createTestDb(dialect);
      const sink = await startSmtpSink();
      const mailer = createMailer({
        db: t.db,
        clock,
        config: loadConfig({ SMTP_URL: sink.url, MAIL_FROM: FROM, ...env }).mail,
      });
      cleanups.push(t.cleanup, sink.close, mailer.close);
      return { t, sink, mailer };
    };

    test('a message arrives with its recipient, subject, Message-ID, headers and both bodies intact', async () => {
      const { t, sink, mailer } = await setup();
      assert.equal(mailer.mode, 'smtp');
      const html = '<p>Dobrý den, <a href="https://meridian.example/c/abc?x=1&amp;y=2">confirm</a>.</p>\n<p>.</p>';
      const text =
        'Dobrý den,\r\nconfirm: https://meridian.example/c/abc?x=1&y=2\n.\nA line starting with a dot, above.';
      const headers = {
        'List-Unsubscribe':
          '<https://meridian.example/unsubscribe/tok3n>, <mailto:unsubscribe@meridian.example?subject=tok3n>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'X-Masthead-Edition': '2026-10',
      };
      const sent = await mailer.send(
        message({
          subject: 'Potvrďte odběr — The Dispatch',
          text,
          html,
          headers,
          messageId: '<edition-10.42@meridian.example>',
        }),
      );
      assert.deepEqual(sent, { messageId: '<edition-10.42@meridian.example>', transport: 'smtp' });

      const [got] = await sink.waitFor(1);
      assert.ok(got);
      assert.deepEqual(got.to, ['reader@example.org']);
      assert.equal(got.from, 'news@meridian.example');
      assert.equal(got.user, 'masthead', 'authenticated with the credentials in SMTP_URL');
      assert.equal(firstAddress(got.parsed.to), 'reader@example.org');
      assert.equal(got.parsed.from?.value[0]?.address, 'news@meridian.example');
      assert.equal(got.parsed.from?.value[0]?.name, 'The Meridian Dispatch');
      assert.equal(got.parsed.subject, 'Potvrďte odběr — The Dispatch');
      assert.equal(got.parsed.messageId, '<edition-10.42@meridian.example>');
      assert.equal(got.parsed.date?.toISOString(), clock.now().toISOString());
      for (const [name, value] of Object.entries(headers)) assert.equal(headerLine(got.raw, name), `${name}: ${value}`);
      assert.equal(got.parsed.text?.replace(/\n$/, ''), text.replace(/\r\n/g, '\n'));
      assert.equal(got.parsed.html, html);
      assert.equal(got.parsed.headers.get('bcc'), undefined);
      assert.equal(
        (await listOutbox({ db: t.db }, { page: 1, perPage: 10 })).total,
        0,
        'SMTP mode stores nothing locally',
      );
    });

    test('Message-IDs are ours, fresh per message, and reused when a resend passes one', async () => {
      const { sink, mailer } = await setup();
      const a = await mailer.send(message());
      const b = await mailer.send(message());
      const again = await mailer.send(message({ messageId: a.messageId }));
      const got = await sink.waitFor(3);
      assert.match(a.messageId, /^<[0-9a-f-]{36}@meridian\.example>$/);
      assert.notEqual(a.messageId, b.messageId);
      assert.equal(again.messageId, a.messageId);
      assert.deepEqual(got.map((m) => m.parsed.messageId).sort(), [a.messageId, a.messageId, b.messageId].sort());
    });

    test('connections are pooled: many messages share at most SMTP_POOL_MAX connections', async () => {
      const { sink, mailer } = await setup({ SMTP_POOL_MAX: '2' });
      const sent = await Promise.all(
        Array.from({ length: 12 }, (_, i) => mailer.send(message({ to: `reader${i}@example.org` }))),
      );
      await sink.waitFor(12);
      assert.equal(new Set(sent.map((s) => s.messageId)).size, 12);
      assert.ok(sink.connections >= 1 && sink.connections <= 2, `opened ${sink.connections} connections`);
    });

    test('header injection is refused before anything is sent', async () => {
      const { sink, mailer } = await setup();
      const attacks: Partial<MailMessage>[] = [
        { to: 'reader@example.org\r\nBcc: everyone@example.org' },
        { to: 'reader@example.org,everyone@example.org' },
        { subject: 'Hi\r\nBcc: everyone@example.org' },
        { subject: 'Hi\nContent-Type: text/html' },
        { headers: { 'X-Tag': 'ok\r\nBcc: everyone@example.org' } },
        { headers: { 'X-Tag\r\nBcc': 'everyone@example.org' } },
        { headers: { Bcc: 'everyone@example.org' } },
        { messageId: '<a@meridian.example>\r\nBcc: everyone@example.org' },
      ];
      for (const attack of attacks) {
        await assert.rejects(
          mailer.send(message(attack)),
          (err: unknown) => isAppError(err) && err.code === 'MAIL_INVALID' && err.status === 400,
          JSON.stringify(attack),
        );
      }
      await mailer.send(message({ subject: 'The only one' }));
      await sink.waitFor(1);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(sink.messages.length, 1);
      assert.equal(sink.messages[0]?.parsed.subject, 'The only one');
      assert.deepEqual(sink.messages[0]?.to, ['reader@example.org']);
      assert.doesNotMatch(sink.messages[0]?.raw ?? '', /everyone@example\.org/);
    });

    test('a 4xx or 5xx reply reaches the caller as an error that says whether to retry', async () => {
      const { sink, mailer } = await setup();
      sink.refuse('data', 451);
      await assert.rejects(mailer.send(message()), (err: unknown) => {
        assert.ok(err instanceof MailSendError);
        assert.equal(err.code, 'MAIL_SMTP_REFUSED');
        assert.equal(err.status, 502);
        assert.equal(err.responseCode, 451);
        assert.equal(err.permanent, false);
        return true;
      });
      sink.refuse('rcpt', 550);
      await assert.rejects(
        mailer.send(message()),
        (err: unknown) => err instanceof MailSendError && err.responseCode === 550 && err.permanent === true,
      );
      sink.refuse('data', 554);
      await assert.rejects(
        mailer.send(message()),
        (err: unknown) => err instanceof MailSendError && err.responseCode === 554 && err.permanent === true,
      );
      // The pool carries on after refusals.
      await mailer.send(message({ subject: 'After the refusals' }));
      const got = await sink.waitFor(1);
      assert.equal(got.length, 1);
      assert.equal(got[0]?.parsed.subject, 'After the refusals');
    });

    test('wrong SMTP credentials and an unreachable server are errors too', async () => {
      const t = await createTestDb(dialect);
      const sink = await startSmtpSink();
      cleanups.push(t.cleanup, sink.close);
      const badAuth = createMailer({
        db: t.db,
        clock,
        config: loadConfig({ SMTP_URL: sink.url.replace('s3cret', 'wrong'), MAIL_FROM: FROM }).mail,
      });
      cleanups.push(badAuth.close);
      await assert.rejects(
        badAuth.send(message()),
        (err: unknown) => err instanceof MailSendError && err.code === 'MAIL_SMTP_AUTH_FAILED' && err.status === 502,
      );

      const port = await new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      const down = createMailer({
        db: t.db,
        clock,
        config: loadConfig({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: FROM }).mail,
      });
      cleanups.push(down.close);
      await assert.rejects(
        down.send(message()),
        (err: unknown) => err instanceof MailSendError && err.code === 'MAIL_SMTP_UNAVAILABLE' && !err.permanent,
      );
      assert.equal(sink.messages.length, 0);
    });
  });
}
