// The log audit: a whole donation, a magic link and refused webhooks through a real server
// logging as in production; the log never holds the donor's address, network address or tokens.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { createTestDb, dialects } from '#test/db.ts';

const serverScript = path.resolve(import.meta.dirname, '../../tests/helpers/support-server.ts');
const CLIENT_ADDRESS = '127.0.0.77';

function request(
  port: number,
  method: string,
  url: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; location: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        localAddress: CLIENT_ADDRESS,
        headers: {
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded', origin: `http://127.0.0.1:${port}` } : {}),
          ...headers,
        },
      },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += String(c)));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? ''), body: data }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

for (const dialect of dialects)
  test(
    `logs hold no donor address, client IP or token (${dialect}, LOG_LEVEL=trace)`,
    { timeout: 60_000 },
    async () => {
      const t = await createTestDb(dialect);
      const child = spawn(process.execPath, [serverScript], {
        env: {
          ...process.env,
          MASTHEAD_TEST_DB_TARGET: JSON.stringify(t.target),
          MASTHEAD_TEST_DIR: t.dir,
          MASTHEAD_TEST_ENV: JSON.stringify({ LOG_LEVEL: 'trace' }),
          MASTHEAD_TEST_LOGS: '1',
          MASTHEAD_TEST_WORKER: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      child.stdout.on('data', (d: Buffer) => (log += String(d)));
      child.stderr.on('data', (d: Buffer) => (log += String(d)));
      try {
        const end = Date.now() + 20_000;
        while (!/PORT \d+/.test(log) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
        const port = Number(/PORT (\d+)/.exec(log)?.[1]);
        const email = 'canary.donor@example.org';
        const checkout = await request(
          port,
          'POST',
          '/support/checkout',
          'frequency=month&currency=USD&amount_month=500',
        );
        assert.equal(checkout.status, 303);
        const hosted = new URL(checkout.location, `http://127.0.0.1:${port}`).pathname;
        assert.equal((await request(port, 'POST', hosted, `email=${encodeURIComponent(email)}`)).status, 303);
        // Wait for the signed webhooks and the receipt.
        const k = t.db.kysely;
        while ((await k.selectFrom('outbox_messages').select('id').execute()).length < 1 && Date.now() < end + 20_000)
          await new Promise((r) => setTimeout(r, 100));
        assert.equal(
          (await request(port, 'POST', '/support/manage', `email=${encodeURIComponent(email)}`)).status,
          303,
        );
        while ((await k.selectFrom('outbox_messages').select('id').execute()).length < 2 && Date.now() < end + 20_000)
          await new Promise((r) => setTimeout(r, 100));
        const link = /\/support\/manage\/([A-Za-z0-9_-]{43})/.exec(
          (await k.selectFrom('outbox_messages').select('text').execute()).map((r) => r.text).join('\n'),
        )?.[1];
        // Refused requests are logged (as refusals) too.
        assert.equal(
          (
            await request(port, 'POST', '/support/webhook', '{"id":"evt_x"}', {
              'content-type': 'application/json',
              'stripe-signature': 't=1,v1=00',
            })
          ).status,
          400,
        );
        assert.equal(
          (
            await request(
              port,
              'POST',
              '/support/checkout',
              'frequency=month&currency=USD&amount_month=other&other_amount=0.5',
            )
          ).status,
          400,
        );
        assert.equal(
          (
            await request(port, 'POST', '/support/manage', `email=${encodeURIComponent(email)}`, {
              origin: 'https://evil.example',
            })
          ).status,
          403,
        );
        assert.ok(link, 'the magic link was mailed');
        assert.equal((await request(port, 'GET', `/support/manage/${link}`)).status, 200);
        await new Promise((r) => setTimeout(r, 300));
        // The log is not empty: refusals are recorded, just without who made them.
        assert.match(log, /request refused/);
        assert.ok(!log.includes(CLIENT_ADDRESS), 'no client address in the log');
        assert.ok(!log.includes(email), 'no donor address in the log');
        assert.ok(!log.includes(link), 'no magic-link token in the log');
        assert.ok(!/whsec_/.test(log), 'no webhook secret in the log');
      } finally {
        child.kill('SIGKILL');
        await t.cleanup();
      }
    },
  );
