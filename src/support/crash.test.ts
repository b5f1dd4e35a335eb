// kill -9 of the web process while webhooks are applied, then the provider's retries: nothing missing, nothing doubled.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { test } from 'node:test';
import { createTestDb, dialects } from '#test/db.ts';
import { StripeStandin, type StandinEvent } from '#test/stripe-standin.ts';

const serverScript = path.resolve(import.meta.dirname, '../../tests/helpers/support-server.ts');
const SECRET = 'whsec_crash_secret';

function startServer(
  target: unknown,
  dir: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [serverScript], {
    env: {
      ...process.env,
      MASTHEAD_TEST_DB_TARGET: JSON.stringify(target),
      MASTHEAD_TEST_DIR: dir,
      MASTHEAD_TEST_ENV: JSON.stringify(env),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve({ child, port: Number(/PORT (\d+)/.exec(String(d))?.[1]) }));
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
}

/** Posts one event until it is acknowledged with 2xx, as Stripe's retries do (compressed in time). */
async function deliver(getPort: () => number, e: StandinEvent): Promise<void> {
  for (;;) {
    const { payload, header } = StripeStandin.signed(e, SECRET);
    try {
      const res = await fetch(`http://127.0.0.1:${getPort()}/support/webhook`, {
        method: 'POST',
        body: payload,
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
      });
      if (res.ok) return;
    } catch {
      // the process died mid-request: retry
    }
    await new Promise((r) => setTimeout(r, 30));
  }
}

for (const dialect of dialects) {
  test(
    `kill -9 while webhooks are applied: after retries every movement is in the ledger once (${dialect})`,
    { timeout: 180_000 },
    async () => {
      const t = await createTestDb(dialect);
      const standin = new StripeStandin();
      await standin.start();
      const env = { STRIPE_SECRET_KEY: 'sk_test_crash', STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_BASE: standin.url };
      let server = await startServer(t.target, t.dir, env);
      try {
        // 20 supporters: monthly with a renewal and a refund, or a one-time gift.
        const events: StandinEvent[] = [];
        let expectedTotal = 0;
        let expectedRows = 0;
        for (let i = 0; i < 20; i++) {
          const monthly = i % 2 === 0;
          const s = standin.createSession({
            mode: monthly ? 'subscription' : 'payment',
            line_items: [
              {
                price_data: {
                  currency: 'usd',
                  unit_amount: String(300 + i),
                  ...(monthly ? { recurring: { interval: 'month' } } : {}),
                },
              },
            ],
            success_url: 'https://news.example.test/support/thanks',
            cancel_url: 'https://news.example.test/support',
          });
          const paid = standin.pay(String(s.id), `crash${i}@example.org`);
          events.push(...paid);
          if (monthly) {
            const sub = String(s.subscription);
            events.push(...standin.renew(sub, `crash${i}@example.org`));
            const pi = String(
              (paid[2]!.data.object.payments as { data: { payment: { payment_intent: string } }[] }).data[0]!.payment
                .payment_intent,
            );
            events.push(standin.refund(pi, 100));
            expectedTotal += 2 * (300 + i) - 100;
            expectedRows += 3;
          } else {
            expectedTotal += 300 + i;
            expectedRows += 1;
          }
        }
        // Deliver everything (8 at a time) while a killer SIGKILLs and restarts the server.
        let port = server.port;
        let stop = false;
        let kills = 0;
        const killer = (async () => {
          while (!stop) {
            await new Promise((r) =>
              setTimeout(r, kills === 0 ? 20 + crypto.randomInt(0, 60) : 150 + crypto.randomInt(0, 400)),
            );
            if (stop) break;
            const old = server.child;
            await new Promise<void>((resolve) => {
              old.once('exit', () => resolve());
              old.kill('SIGKILL');
            });
            kills++;
            server = await startServer(t.target, t.dir, env);
            port = server.port;
          }
        })();
        const queue = [...events];
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            for (let e = queue.shift(); e; e = queue.shift()) await deliver(() => port, e);
          }),
        );
        stop = true;
        await killer;
        assert.ok(kills >= 1, 'the server was killed at least once');

        const k = t.db.kysely;
        const rows = await k.selectFrom('payments').selectAll().execute();
        assert.equal(rows.length, expectedRows);
        assert.equal(
          rows.reduce((s, r) => s + r.amount, 0),
          expectedTotal,
        );
        const processed = await k.selectFrom('processed_events').select('event_id').execute();
        assert.equal(new Set(processed.map((p) => p.event_id)).size, events.length);
        const receipts = await k.selectFrom('jobs').select('payload').where('type', '=', 'mail.send').execute();
        assert.equal(
          receipts.length,
          rows.filter((r) => r.kind === 'payment').length,
          'one receipt per payment, none lost or doubled',
        );
        const plans = await k.selectFrom('recurring_plans').selectAll().execute();
        assert.equal(plans.length, 10);
        assert.ok(plans.every((p) => p.status === 'active'));
      } finally {
        server.child.kill('SIGKILL');
        await standin.stop();
        await t.cleanup();
      }
    },
  );
}

for (const dialect of dialects) {
  test(
    `two web processes receive every event 3 times at once: one ledger effect each (${dialect})`,
    { timeout: 120_000 },
    async () => {
      const t = await createTestDb(dialect);
      const standin = new StripeStandin();
      await standin.start();
      const env = { STRIPE_SECRET_KEY: 'sk_test_two', STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_BASE: standin.url };
      const a = await startServer(t.target, t.dir, env);
      const b = await startServer(t.target, t.dir, env);
      try {
        const events: StandinEvent[] = [];
        let expected = 0;
        for (let i = 0; i < 15; i++) {
          const s = standin.createSession({
            mode: 'subscription',
            line_items: [
              { price_data: { currency: 'eur', unit_amount: String(1000 + i), recurring: { interval: 'year' } } },
            ],
            success_url: 'https://news.example.test/support/thanks',
            cancel_url: 'https://news.example.test/support',
          });
          events.push(
            ...standin.pay(String(s.id), `two${i}@example.org`),
            ...standin.renew(String(s.subscription), `two${i}@example.org`),
          );
          expected += 2 * (1000 + i);
        }
        const post = async (port: number, e: StandinEvent) => {
          const { payload, header } = StripeStandin.signed(e, SECRET);
          return (
            await fetch(`http://127.0.0.1:${port}/support/webhook`, {
              method: 'POST',
              body: payload,
              headers: { 'content-type': 'application/json', 'stripe-signature': header },
            })
          ).status;
        };
        for (const e of events) {
          const statuses = await Promise.all([
            post(a.port, e),
            post(b.port, e),
            post(a.port, e),
            post(b.port, e),
            post(b.port, e),
            post(a.port, e),
          ]);
          assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200]);
        }
        const rows = await t.db.kysely.selectFrom('payments').selectAll().execute();
        assert.equal(rows.length, 30);
        assert.equal(
          rows.reduce((sum, r) => sum + r.amount, 0),
          expected,
        );
        assert.equal(
          (await t.db.kysely.selectFrom('jobs').select('id').where('type', '=', 'mail.send').execute()).length,
          30,
        );
        const plans = await t.db.kysely.selectFrom('recurring_plans').selectAll().execute();
        assert.equal(plans.length, 15);
        assert.ok(plans.every((p) => p.status === 'active' && p.frequency === 'year' && p.currency === 'EUR'));
      } finally {
        a.child.kill('SIGKILL');
        b.child.kill('SIGKILL');
        await standin.stop();
        await t.cleanup();
      }
    },
  );
}
