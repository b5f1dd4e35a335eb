import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { DatabaseTarget } from '#db';
import { createJobQueue } from '#jobs';
import { systemClock } from '#lib/clock.ts';
import { createMailer } from '#mail';
import { startSending, type NewsletterDeps } from '#newsletter';
import { defaultSettings } from '#settings';
import { testConfig } from '#test/app.ts';
import { createTestDb, dialects } from '#test/db.ts';
import { addRenderedEdition, addSubscribers } from '#test/delivery.ts';
import { startFaultySmtp } from '#test/faulty-smtp.ts';
import { until } from '#test/newsletter.ts';

// A clean stop: SIGTERM ends `masthead serve` and `masthead worker` with code 0 once the
// worker, the change feed and the database pool have let go, in that order. The process
// forces an exit with code 1 after 10 s, so a stop that hangs shows as a 1.

const bin = path.resolve(import.meta.dirname, '../../bin/masthead.js');
const FROM = 'The Meridian Dispatch <news@meridian.example>';

function databaseUrl(target: DatabaseTarget): string {
  return target.kind === 'sqlite' ? `file:${target.file}` : target.url;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/** Starts the CLI and resolves once its log says `ready`. */
function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start: ${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited early with ${code}: ${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

for (const dialect of dialects) {
  describe(`a clean stop on ${dialect}`, () => {
    test('SIGTERM ends masthead serve with code 0', { timeout: 120_000 }, async () => {
      const t = await createTestDb(dialect);
      try {
        const port = await freePort();
        const child = await start(
          ['serve', '--no-seed'],
          {
            DATA_DIR: path.join(t.dir, 'data'),
            DATABASE_URL: databaseUrl(t.target),
            HOST: '127.0.0.1',
            PORT: String(port),
            BASE_URL: 'https://news.example.test',
          },
          /Server listening/,
        );
        const home = await fetch(`http://127.0.0.1:${port}/healthz`);
        assert.equal(home.status, 200);
        assert.equal(await stop(child), 0);
      } finally {
        await t.cleanup();
      }
    });

    test(
      'SIGTERM during a send ends masthead worker with code 0, no row left sending, nobody mailed twice',
      { timeout: 180_000 },
      async () => {
        const smtp = await startFaultySmtp({ keep: false });
        const t = await createTestDb(dialect);
        try {
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
          const recipients = 600;
          await addSubscribers(t.db, recipients, { prefix: 's' });
          const id = await addRenderedEdition(t.db);
          await startSending(deps, id);
          await mailer.close();

          const env = {
            DATA_DIR: path.join(t.dir, 'data'),
            DATABASE_URL: databaseUrl(t.target),
            BASE_URL: 'https://news.example.test',
            SMTP_URL: smtp.url,
            MAIL_FROM: FROM,
            WORKER_NICENESS: '0',
            // Slow enough that the stop lands mid-send.
            NEWSLETTER_RATE_PER_SECOND: '100',
            NEWSLETTER_BATCH_SIZE: '20',
          };
          const worker = await start(['worker'], env, /worker started/);
          await until(async () => smtp.acceptedCount > 50 || undefined, 'the send to be under way');
          assert.equal(await stop(worker), 0);
          assert.ok(smtp.acceptedCount < recipients, 'the stop came before the send was over');
          const sending = await t.db.kysely
            .selectFrom('deliveries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('edition_id', '=', id)
            .where('status', '=', 'sending')
            .executeTakeFirstOrThrow();
          assert.equal(Number(sending.n), 0, 'no delivery is left claimed by the stopped worker');

          // The next worker finishes the send; every reader gets the edition exactly once.
          const next = await start(['worker'], env, /worker started/);
          try {
            await until(async () => {
              const e = await t.db.kysely
                .selectFrom('editions')
                .select('status')
                .where('id', '=', id)
                .executeTakeFirstOrThrow();
              return e.status === 'sent' || undefined;
            }, 'the edition to be sent');
          } finally {
            assert.equal(await stop(next), 0);
          }
          assert.equal(smtp.acceptedCount, recipients);
          assert.equal(new Set(smtp.accepted.map((m) => m.to)).size, recipients);
        } finally {
          await t.cleanup();
          await smtp.close();
        }
      },
    );
  });
}
