import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadConfig } from '#config';
import { fixedClock } from '#lib/clock.ts';
import { isAppError } from '#lib/errors.ts';
import { createTestDb, dialects, type TestDb } from '#test/db.ts';
import { createMailer } from './mailer.ts';
import { deleteOutboxOlderThan, findOutboxMessageByMessageId, getOutboxMessage, listOutbox } from './outbox.ts';
import type { MailMessage } from './types.ts';

const message = (over: Partial<MailMessage> = {}): MailMessage => ({
  to: 'reader@example.org',
  subject: 'Confirm your subscription',
  text: 'Click the link to confirm: https://news.example.test/c/abc',
  category: 'newsletter.confirmation',
  ...over,
});
const code = (c: string, status: number) => (err: unknown) =>
  isAppError(err) && err.code === c && err.status === status;

for (const dialect of dialects) {
  describe(`outbox mailer on ${dialect}`, () => {
    const dbs: TestDb[] = [];
    after(async () => {
      for (const t of dbs) await t.cleanup();
    });
    const setup = async () => {
      const t = await createTestDb(dialect);
      dbs.push(t);
      const clock = fixedClock('2026-03-06T09:00:00.000Z');
      const mailer = createMailer({
        db: t.db,
        clock,
        config: loadConfig({ MAIL_FROM: 'The Meridian Dispatch <news@meridian.example>' }).mail,
      });
      return { deps: { db: t.db, clock }, clock, mailer };
    };

    test('without SMTP the mailer says it is in outbox mode and stores every field', async () => {
      const { deps, mailer } = await setup();
      assert.equal(mailer.mode, 'outbox');
      const headers = {
        'List-Unsubscribe': '<https://news.example.test/u/t0k>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      };
      const sent = await mailer.send(
        message({
          html: '<p>Click <a href="https://news.example.test/c/abc">here</a></p>',
          headers,
          subject: 'Potvrďte odběr',
        }),
      );
      assert.equal(sent.transport, 'outbox');
      assert.match(sent.messageId, /^<[0-9a-f-]{36}@meridian\.example>$/);

      const page = await listOutbox(deps, { page: 1, perPage: 20 });
      assert.equal(page.total, 1);
      assert.equal(page.items.length, 1);
      const id = page.items[0]?.id ?? 0;
      assert.deepEqual(await getOutboxMessage(deps, id), {
        id,
        messageId: sent.messageId,
        to: 'reader@example.org',
        subject: 'Potvrďte odběr',
        category: 'newsletter.confirmation',
        createdAt: '2026-03-06T09:00:00.000Z',
        text: 'Click the link to confirm: https://news.example.test/c/abc',
        html: '<p>Click <a href="https://news.example.test/c/abc">here</a></p>',
        headers,
      });
      assert.equal((await findOutboxMessageByMessageId(deps, sent.messageId))?.id, id);
      assert.equal(await findOutboxMessageByMessageId(deps, '<nope@meridian.example>'), null);
      assert.equal((await mailer.send(message())).transport, 'outbox');
      assert.equal(
        (await getOutboxMessage(deps, (await listOutbox(deps, { page: 1, perPage: 1 })).items[0]?.id ?? 0)).html,
        null,
      );
    });

    test('sending the same Message-ID again (a retried job) stores it once', async () => {
      const { deps, mailer } = await setup();
      const first = await mailer.send(message());
      const again = await mailer.send(message({ messageId: first.messageId }));
      assert.equal(again.messageId, first.messageId);
      assert.equal((await listOutbox(deps, { page: 1, perPage: 20 })).total, 1);
    });

    test('the outbox lists newest first, in pages, and filters by recipient or category', async () => {
      const { deps, clock, mailer } = await setup();
      for (let i = 1; i <= 5; i++) {
        await mailer.send(
          message({
            subject: `Message ${i}`,
            to: i % 2 ? 'odd@example.org' : 'even@example.org',
            category: i === 5 ? 'support.receipt' : 'newsletter.confirmation',
          }),
        );
        clock.advance(60_000);
      }
      const p1 = await listOutbox(deps, { page: 1, perPage: 2 });
      assert.deepEqual(
        p1.items.map((m) => m.subject),
        ['Message 5', 'Message 4'],
      );
      assert.equal(p1.total, 5);
      assert.equal(p1.pageCount, 3);
      assert.deepEqual(
        (await listOutbox(deps, { page: 3, perPage: 2 })).items.map((m) => m.subject),
        ['Message 1'],
      );
      assert.deepEqual((await listOutbox(deps, { page: 4, perPage: 2 })).items, []);
      const odd = await listOutbox(deps, { page: 1, perPage: 10, to: 'odd@example.org' });
      assert.deepEqual([odd.total, odd.items.map((m) => m.subject)], [3, ['Message 5', 'Message 3', 'Message 1']]);
      const receipts = await listOutbox(deps, { page: 1, perPage: 10, category: 'support.receipt' });
      assert.deepEqual([receipts.total, receipts.items.map((m) => m.subject)], [1, ['Message 5']]);
      for (const bad of [
        { page: 0, perPage: 10 },
        { page: 1.5, perPage: 10 },
        { page: 1, perPage: 0 },
        { page: 1, perPage: 101 },
      ]) {
        await assert.rejects(listOutbox(deps, bad), code('MAIL_BAD_PAGE', 400), JSON.stringify(bad));
      }
      await assert.rejects(getOutboxMessage(deps, 987_654), code('MAIL_OUTBOX_NOT_FOUND', 404));
      await assert.rejects(getOutboxMessage(deps, Number.NaN), code('MAIL_OUTBOX_NOT_FOUND', 404));
    });

    test('messages older than N days can be deleted', async () => {
      const { deps, clock, mailer } = await setup();
      clock.set('2026-03-01T00:00:00.000Z');
      await mailer.send(message({ subject: 'ten days old' }));
      clock.set('2026-03-03T00:00:00.000Z');
      await mailer.send(message({ subject: 'eight days old' }));
      clock.set('2026-03-10T00:00:00.000Z');
      await mailer.send(message({ subject: 'one day old' }));
      clock.set('2026-03-11T00:00:00.000Z');
      assert.equal(await deleteOutboxOlderThan(deps, 7), 2);
      assert.deepEqual(
        (await listOutbox(deps, { page: 1, perPage: 10 })).items.map((m) => m.subject),
        ['one day old'],
      );
      assert.equal(await deleteOutboxOlderThan(deps, 7), 0);
      await assert.rejects(deleteOutboxOlderThan(deps, -1), code('MAIL_INVALID', 400));
      assert.equal(await deleteOutboxOlderThan(deps, 0), 1);
    });

    test('header injection is refused and nothing is stored', async () => {
      const { deps, mailer } = await setup();
      const attacks: Partial<MailMessage>[] = [
        { to: 'reader@example.org\r\nBcc: everyone@example.org' },
        { to: 'Reader <reader@example.org>' },
        { subject: 'Hi\r\nBcc: everyone@example.org' },
        { subject: 'Hi\u2029X-Evil: 1' },
        { headers: { 'List-Unsubscribe': '<https://x.example/u>\nBcc: everyone@example.org' } },
        { headers: { 'X-Evil\nBcc': 'x' } },
        { headers: { 'Message-ID': '<forged@example.org>' } },
        { messageId: '<a@meridian.example>\nBcc: everyone@example.org' },
        { category: 'bad\ncategory' },
      ];
      for (const attack of attacks)
        await assert.rejects(mailer.send(message(attack)), code('MAIL_INVALID', 400), JSON.stringify(attack));
      assert.equal((await listOutbox(deps, { page: 1, perPage: 10 })).total, 0);
    });
  });
}
