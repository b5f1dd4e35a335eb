import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { test } from 'node:test';
import { createJobQueue } from '#jobs';
import { systemClock } from '#lib/clock.ts';
import { createMailer } from '#mail';
import { deliveryProgress, startSending, type NewsletterDeps } from '#newsletter';
import { defaultSettings } from '#settings';
import { testConfig } from '#test/app.ts';
import { createTestDb, dialects } from '#test/db.ts';
import { addRenderedEdition, addSubscribers } from '#test/delivery.ts';
import { startFaultySmtp } from '#test/faulty-smtp.ts';

const senderScript = path.resolve(import.meta.dirname, '../../../tests/helpers/delivery-sender.ts');
const FROM = 'The Meridian Dispatch <news@meridian.example>';
const RECIPIENTS = 2000;
const BATCH = 20;
const KILLS = 20;

function startSender(options: unknown): Promise<ChildProcess> {
  const child = spawn(process.execPath, [senderScript], {
    env: { ...process.env, MASTHEAD_SENDER: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`sender exited early with ${code}`)));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A sink that keeps no message bodies, a fresh database, and the newsletter's dependencies on them. */
async function setup(dialect: (typeof dialects)[number]) {
  const smtp = await startFaultySmtp({ keep: false });
  const t = await createTestDb(dialect);
  const config = testConfig(t.dir, { SMTP_URL: smtp.url, MAIL_FROM: FROM });
  const mailer = createMailer({ db: t.db, clock: systemClock, config: config.mail });
  const deps: NewsletterDeps = {
    db: t.db,
    clock: systemClock,
    jobs: createJobQueue(t.db, systemClock),
    mailer,
    settings: {
      db: t.db,
      clock: systemClock,
      defaults: defaultSettings('https://news.example.test'),
      contentChanged: () => {},
    },
    fromAddress: config.mail.from.address,
  };
  return { smtp, t, mailer, deps };
}

for (const dialect of dialects) {
  test(
    `kill -9 of the sender ${KILLS} times over a ${RECIPIENTS}-recipient edition: nobody lost, duplicates bounded and sharing the Message-ID (${dialect})`,
    { timeout: 300_000 },
    async (ctx) => {
      const { smtp, t, mailer, deps } = await setup(dialect);
      const children = new Set<ChildProcess>();
      let monitor: NodeJS.Timeout | null = null;
      try {
        const active = await addSubscribers(t.db, RECIPIENTS, { prefix: 'a' });
        await addSubscribers(t.db, 20, { status: 'pending', prefix: 'p' });
        await addSubscribers(t.db, 20, { status: 'unsubscribed', prefix: 'u' });
        const id = await addRenderedEdition(t.db);
        assert.deepEqual(await startSending(deps, id), { recipients: RECIPIENTS });

        // Whenever the edition reads as sent, nothing may be left to send.
        const violations: string[] = [];
        const check = async () => {
          const e = await t.db.kysely
            .selectFrom('editions')
            .select('status')
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          if (e.status !== 'sent') return;
          const open = await t.db.kysely
            .selectFrom('deliveries')
            .select('id')
            .where('edition_id', '=', id)
            .where('status', 'not in', ['sent', 'failed', 'skipped'])
            .limit(1)
            .execute();
          if (open.length > 0) violations.push('edition marked sent with deliveries still open');
        };
        monitor = setInterval(() => void check().catch((err: unknown) => violations.push(String(err))), 50);

        const options = {
          target: t.target,
          smtpUrl: smtp.url,
          from: FROM,
          baseUrl: 'https://news.example.test',
          // One lane, so at most one batch is in flight when a sender dies; a rate limit, so
          // the send lasts long enough to be killed 20 times.
          env: {
            NEWSLETTER_BATCH_SIZE: String(BATCH),
            NEWSLETTER_SEND_LANES: '1',
            NEWSLETTER_SMTP_CONNECTIONS: '4',
            NEWSLETTER_RATE_PER_SECOND: '100',
          },
          leaseMs: 600,
          pollMs: 50,
        };
        let kills = 0;
        let midSend = 0;
        const inFlightAtKills = new Map<string, number>();
        let previousInFlight = new Set<string>();
        for (let round = 0; round < KILLS; round++) {
          const before = smtp.acceptedCount;
          const child = await startSender(options);
          children.add(child);
          // Kill at a random moment once this sender is delivering (or after a while if the
          // send is already over); sometimes before it has claimed anything at all.
          const early = crypto.randomInt(0, 5) === 0;
          if (!early)
            await waitFor(
              () => smtp.acceptedCount > before || child.exitCode !== null,
              'the sender to deliver',
              20_000,
            ).catch(() => {});
          await new Promise((r) => setTimeout(r, crypto.randomInt(0, early ? 400 : 250)));
          const open = await t.db.kysely
            .selectFrom('deliveries')
            .select('id')
            .where('edition_id', '=', id)
            .where('status', '=', 'sending')
            .limit(1)
            .execute();
          if (open.length > 0) midSend++;
          await killHard(child);
          children.delete(child);
          kills++;
          // What this kill can duplicate: the rows its sender had claimed and not yet recorded.
          const inFlight = await t.db.kysely
            .selectFrom('deliveries')
            .select('message_id')
            .where('edition_id', '=', id)
            .where('status', '=', 'sending')
            .execute();
          // Rows still leased by an earlier killed sender may be among them; this sender added at most one batch.
          const added = inFlight.filter((r) => !previousInFlight.has(r.message_id));
          assert.ok(added.length <= BATCH, `${added.length} rows newly in flight at a kill, more than one batch`);
          for (const r of inFlight) inFlightAtKills.set(r.message_id, (inFlightAtKills.get(r.message_id) ?? 0) + 1);
          previousInFlight = new Set(inFlight.map((r) => r.message_id));
        }
        const afterKills = await deliveryProgress(deps, id);
        const last = await startSender(options);
        children.add(last);
        await waitFor(
          async () => (await deliveryProgress(deps, id)).status === 'sent',
          'the edition to be sent',
          120_000,
        );
        last.kill('SIGTERM');
        await new Promise((r) => last.once('exit', r));
        children.delete(last);
        clearInterval(monitor);
        monitor = null;
        await check();

        assert.equal(kills, KILLS);
        assert.ok(midSend >= KILLS / 2, `most kills land mid-send (${midSend} of ${kills})`);
        assert.ok(afterKills.remaining > 0, 'the kills happened before the send was over');
        assert.deepEqual(violations, []);
        const final = await deliveryProgress(deps, id);
        assert.deepEqual(final, {
          status: 'sent',
          total: RECIPIENTS,
          sent: RECIPIENTS,
          failed: 0,
          skipped: 0,
          remaining: 0,
        });

        const rows = await t.db.kysely
          .selectFrom('deliveries')
          .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
          .select(['subscribers.email', 'deliveries.message_id'])
          .where('edition_id', '=', id)
          .execute();
        const idOf = new Map(rows.map((r) => [r.email, r.message_id]));
        const copies = new Map<string, number>();
        for (const m of smtp.accepted) {
          copies.set(m.to, (copies.get(m.to) ?? 0) + 1);
          assert.equal(m.messageId, idOf.get(m.to), `every copy to ${m.to} carries its delivery's Message-ID`);
        }
        const emails = (
          await t.db.kysely.selectFrom('subscribers').select('email').where('id', 'in', active).execute()
        ).map((r) => r.email);
        for (const e of emails) assert.ok((copies.get(e) ?? 0) >= 1, `${e} got a copy`);
        assert.equal(copies.size, RECIPIENTS, 'nobody outside the audience got one');
        const duplicates = smtp.accepted.length - copies.size;
        ctx.diagnostic(
          `${kills} kills (${midSend} with a batch in flight), ${afterKills.remaining} left after them, ${duplicates} duplicate messages`,
        );
        assert.ok(
          duplicates <= kills * BATCH,
          `${duplicates} duplicates for ${kills} kills of one ${BATCH}-message batch each`,
        );
        // Per kill: a message sent more than once was in the batch in flight at that many kills.
        const sentTimes = new Map<string, number>();
        for (const m of smtp.accepted) sentTimes.set(m.messageId, (sentTimes.get(m.messageId) ?? 0) + 1);
        for (const [messageId, n] of sentTimes) {
          if (n > 1)
            assert.ok(
              n - 1 <= (inFlightAtKills.get(messageId) ?? 0),
              `${messageId} was sent ${n} times but was in flight at ${inFlightAtKills.get(messageId) ?? 0} kills`,
            );
        }
      } finally {
        if (monitor) clearInterval(monitor);
        await Promise.all([...children].map(killHard));
        await mailer.close();
        await t.cleanup();
        await smtp.close();
      }
    },
  );
}

for (const dialect of dialects) {
  test(
    `two sender processes share one send: every reader exactly once (${dialect})`,
    { timeout: 120_000 },
    async () => {
      const { smtp, t, mailer, deps } = await setup(dialect);
      const children: ChildProcess[] = [];
      try {
        await addSubscribers(t.db, RECIPIENTS);
        const id = await addRenderedEdition(t.db);
        // Two lanes, and each process may hold only one job: lane 0 keeps its process busy until
        // the end, so lane 1 can only run in the other one, at the same time.
        const options = {
          target: t.target,
          smtpUrl: smtp.url,
          from: FROM,
          baseUrl: 'https://news.example.test',
          env: { NEWSLETTER_BATCH_SIZE: String(BATCH), NEWSLETTER_SEND_LANES: '2' },
          leaseMs: 5000,
          pollMs: 50,
          concurrency: 1,
        };
        children.push(await startSender(options), await startSender(options));
        await startSending(deps, id);
        await waitFor(
          async () => (await deliveryProgress(deps, id)).status === 'sent',
          'the edition to be sent',
          100_000,
        );
        // The lane that did not mark the edition sent finishes a moment later.
        const lanesOf = () =>
          t.db.kysely
            .selectFrom('jobs')
            .select(['unique_key', 'status'])
            .where('type', '=', 'newsletter.deliver')
            .orderBy('unique_key')
            .execute();
        await waitFor(
          async () => (await lanesOf()).every((j) => j.status !== 'running' && j.status !== 'pending'),
          'both lanes to end',
          20_000,
        );
        assert.deepEqual(await lanesOf(), [
          { unique_key: `newsletter.deliver:${id}:0`, status: 'done' },
          { unique_key: `newsletter.deliver:${id}:1`, status: 'done' },
        ]);
        await waitFor(() => smtp.acceptedCount >= RECIPIENTS, 'the server to answer every message', 10_000);
        const to = smtp.accepted.map((m) => m.to);
        assert.equal(to.length, RECIPIENTS, 'no duplicates without crashes');
        assert.equal(new Set(to).size, RECIPIENTS, 'every reader once');
      } finally {
        await Promise.all(children.map(killHard));
        await mailer.close();
        await t.cleanup();
        await smtp.close();
      }
    },
  );
}
