// Benchmark of reader support: `npm run bench:support`. Bounded: about 30 s.
//
//   1. starts the real server (`bin/masthead.js serve`, SQLite in a temporary data dir) with
//      Stripe pointed at the offline stand-in (tests/helpers/stripe-standin.ts) in this process;
//   2. webhook ingestion: autocannon, 10 connections, 10 s, each request a distinct signed
//      `checkout.session.completed` (one-time gift: a ledger row and a queued receipt each);
//   3. checkout POST: 10 connections, 5 s, valid monthly gifts (validate, attempt row, the
//      stand-in's session on loopback, 303). The stand-in answers in well under a millisecond.
//
// Targets (issue 4): ingestion ≥ 500 events/s with p99 ≤ 50 ms; checkout p99 ≤ 50 ms.
// Prints a table and writes bench/results/support-latest.json. Exits 0 whether or not
// targets are met; non-zero only if something could not be measured.

import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Stripe from 'stripe';
import { StripeStandin } from '../tests/helpers/stripe-standin.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const NODE = fs.existsSync(path.join(ROOT, 'node_modules/.bin/node'))
  ? path.join(ROOT, 'node_modules/.bin/node')
  : process.execPath;
const SECRET = `whsec_bench_${crypto.randomBytes(8).toString('hex')}`;
const WEBHOOK_SECONDS = Number(process.env.BENCH_DURATION) > 0 ? Number(process.env.BENCH_DURATION) : 10;
const CHECKOUT_SECONDS = Math.max(3, Math.round(WEBHOOK_SECONDS / 2));
const TARGETS = { eventsPerSecond: 500, webhookP99: 50, checkoutP99: 50 };

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(dataDir: string, port: number, standinUrl: string): Promise<ChildProcess> {
  const child = spawn(NODE, [path.join(ROOT, 'bin/masthead.js'), 'serve', '--no-seed'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      BASE_URL: `http://127.0.0.1:${port}`,
      STRIPE_SECRET_KEY: 'sk_test_bench',
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_API_BASE: standinUrl,
      // The card-testing brakes would answer 429 to a load generator on one address.
      SUPPORT_CHECKOUTS_PER_NETWORK_HOUR: '1000000',
      SUPPORT_CHECKOUTS_PER_HOUR: '10000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function giftEvent(i: number, now: number): { body: string; signature: string } {
  const id = `${i}_${crypto.randomBytes(6).toString('hex')}`;
  const body = JSON.stringify({
    id: `evt_bench_${id}`,
    object: 'event',
    type: 'checkout.session.completed',
    created: now,
    data: {
      object: {
        id: `cs_bench_${id}`,
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'paid',
        amount_total: 500 + (i % 100),
        currency: 'usd',
        customer: `cus_bench_${id}`,
        payment_intent: `pi_bench_${id}`,
        customer_details: { email: `bench${i}@example.org` },
        metadata: {},
      },
    },
  });
  return {
    body,
    signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: now }),
  };
}

const standin = new StripeStandin();
const standinUrl = await standin.start();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-support-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let server: ChildProcess | null = null;
try {
  // `serve` migrates the fresh database itself.
  server = await startServer(dataDir, port, standinUrl);

  // Enough distinct events for the whole run (a repeat would only exercise the dedupe path).
  const now = Math.floor(Date.now() / 1000);
  const events = Array.from({ length: 30_000 }, (_, i) => giftEvent(i, now));
  let next = 0;
  const webhooks = await run({
    url: `${base}/support/webhook`,
    connections: 10,
    duration: WEBHOOK_SECONDS,
    method: 'POST',
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const e = events[next++ % events.length]!;
          return {
            ...req,
            path: '/support/webhook',
            body: e.body,
            headers: { 'content-type': 'application/json', 'stripe-signature': e.signature },
          };
        },
      },
    ],
  });

  const form = new URLSearchParams({ frequency: 'month', currency: 'USD', amount_month: '500' }).toString();
  const checkout = await run({
    url: `${base}/support/checkout`,
    connections: 10,
    duration: CHECKOUT_SECONDS,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: form,
  });

  const healthy = await fetch(`${base}/healthz`).then((r) => r.ok);
  const rows = {
    webhook: {
      requests: webhooks.requests.total,
      perSecond: Math.round(webhooks.requests.average),
      p50: webhooks.latency.p50,
      p99: webhooks.latency.p99,
      non2xx: webhooks.non2xx,
      errors: webhooks.errors,
    },
    checkout: {
      requests: checkout.requests.total,
      perSecond: Math.round(checkout.requests.average),
      p50: checkout.latency.p50,
      p99: checkout.latency.p99,
      non2xx: checkout.non2xx,
      errors: checkout.errors,
    },
    standinSessions: [...standin.objects.values()].filter((o) => o.object === 'checkout.session').length,
  };
  // Checkout answers 303 (autocannon counts 3xx as non-2xx): they are all redirects to the stand-in's URL.
  console.log('reader support benchmark (SQLite, loopback)');
  console.log(
    `  webhook ingestion: ${rows.webhook.perSecond} events/s (target ≥ ${TARGETS.eventsPerSecond}), p50 ${rows.webhook.p50} ms, p99 ${rows.webhook.p99} ms (target ≤ ${TARGETS.webhookP99}); non-2xx ${rows.webhook.non2xx}, errors ${rows.webhook.errors}`,
  );
  console.log(
    `  checkout POST:     ${rows.checkout.perSecond} req/s, p50 ${rows.checkout.p50} ms, p99 ${rows.checkout.p99} ms (target ≤ ${TARGETS.checkoutP99}); sessions created at the stand-in: ${rows.standinSessions}`,
  );
  const met =
    rows.webhook.perSecond >= TARGETS.eventsPerSecond &&
    rows.webhook.p99 <= TARGETS.webhookP99 &&
    rows.checkout.p99 <= TARGETS.checkoutP99 &&
    rows.webhook.non2xx === 0;
  console.log(`  targets ${met ? 'met' : 'NOT met'}; server healthy afterwards: ${healthy}`);
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(ROOT, 'bench', 'results', 'support-latest.json'),
    `${JSON.stringify({ date: new Date().toISOString(), cpus: os.availableParallelism(), targets: TARGETS, ...rows, met }, null, 2)}\n`,
  );
} finally {
  server?.kill('SIGTERM');
  await standin.stop();
  await new Promise((r) => setTimeout(r, 500));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
