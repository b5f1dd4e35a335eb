// Benchmark of newsletter delivery: `npm run bench:newsletter`.
//
// One run, all on 127.0.0.1, each part in its own process:
//   - the site (`masthead serve --no-worker`, demo content, SQLite) answering article pages;
//   - a discarding SMTP server (this file with --sink: smtp-server that counts and drops);
//   - the sender (`masthead worker`, the real engine with the default NEWSLETTER_* settings);
//   - this process: seeds 100,000 active subscribers and a rendered edition, measures the
//     article page's p95 with autocannon while idle, starts the send, measures p95 again
//     while the send runs, and waits for the edition to be marked sent.
// Prints messages/s (target ≥ 1,000), the sender's peak RSS (≤ 250 MB) and the two p95s
// (busy within 2× of idle). Bounded: every wait has a deadline. Exits 0 whether or not the
// targets are met; non-zero only if something could not be measured.
//
// Article pages are requested at a steady BENCH_RATE (default 1000/s), the same in both
// measurements; the p95 is exact, from every response's latency.
//
// Tunables (environment): BENCH_SUBSCRIBERS (default 100000), BENCH_DURATION (s of load per
// p95 measurement, default 5), BENCH_CONNECTIONS (autocannon, default 10), BENCH_RATE
// (article requests per second, default 1000), BENCH_NICE (see below); NEWSLETTER_* and
// WORKER_* settings (WORKER_NICENESS, say) are passed to the sender.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const NODE = fs.existsSync(path.join(ROOT, 'node_modules/.bin/node'))
  ? path.join(ROOT, 'node_modules/.bin/node')
  : process.execPath;
const FLAGS = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((a) => a.startsWith('--'));
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.round(v) : fallback;
};
const SUBSCRIBERS = num('BENCH_SUBSCRIBERS', 100_000);
// BENCH_NICE=1 runs the sender below the web process's priority (nice 10) and the sink, which
// stands for a mail server on another machine, lowest (nice 19). Off by default: on a machine
// shared with other work a niced sender mostly loses CPU to that work.
const NICE = process.env.BENCH_NICE === '1' && fs.existsSync('/usr/bin/nice');
const DURATION_S = num('BENCH_DURATION', 5);
const CONNECTIONS = num('BENCH_CONNECTIONS', 10);
/** Article requests per second during both measurements: a steady, busy site, not a flood (a
 *  flood measures only how the CPU is shared, and on two cores the send takes one). */
const RATE = num('BENCH_RATE', 1000);
const SEND_DEADLINE_MS = 5 * 60_000;
const TARGETS = { messagesPerSecond: 1000, senderRssMb: 250, p95Ratio: 2 };
const FROM = 'Bench Dispatch <news@bench.example>';

// ---------------------------------------------------------------------------------------------

interface Child {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<void>;
}

const children = new Set<ChildProcess>();
let tmp: string | null = null;
const t0 = performance.now();
const log = (m: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${m}`);

function cleanup(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  tmp = null;
}
process.on('exit', cleanup);
for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => (cleanup(), process.exit(130)));

/** Starts NODE with args; `niceness` (through nice(1), which execs, so the pid stays Node's) lowers its CPU priority. */
function start(args: string[], env: Record<string, string>, niceness = 0): Child {
  const [command, argv] = niceness > 0 && NICE ? ['nice', ['-n', String(niceness), NODE, ...args]] : [NODE, args];
  const proc = spawn(command, argv, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  const lines: string[] = [];
  const keep = (b: Buffer) => {
    for (const l of b.toString().split('\n')) if (l) lines.push(l);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return { proc, lines, exited };
}

async function stop(c: Child): Promise<void> {
  if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGTERM');
  await Promise.race([c.exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  children.delete(c.proc);
}

async function until<T>(
  what: string,
  ms: number,
  get: () => Promise<T | null | undefined | false> | T | null | undefined | false,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Peak resident set of a live process, from the kernel (Linux); null elsewhere. */
function peakRssBytes(pid: number | undefined): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** The article page under load: exact p95 from every response's latency (autocannon's summary stops at p90 and p97.5). */
function p95(url: string, seconds: number): Promise<{ p95: number; rps: number; non2xx: number }> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const instance = autocannon(
      { url, connections: CONNECTIONS, duration: seconds, overallRate: RATE },
      (err: unknown, r: autocannon.Result) => {
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        times.sort((a, b) => a - b);
        const at = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] ?? 0;
        resolve({ p95: Math.round(at * 100) / 100, rps: r.requests.average, non2xx: r.non2xx });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
  });
}

async function main(): Promise<void> {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-nl-'));
  const dbFile = path.join(tmp, 'masthead.db');
  const port = 30000 + Math.floor(Math.random() * 20000);
  const base = {
    DATA_DIR: tmp,
    DATABASE_URL: `file:${dbFile}`,
    LOG_LEVEL: 'warn',
    BASE_URL: `http://127.0.0.1:${port}`,
    NODE_ENV: 'production',
    MAIL_FROM: FROM,
  };

  log('starting the site (demo content, SQLite) …');
  const site = start([...FLAGS, 'bin/masthead.js', 'serve', '--no-worker'], {
    ...base,
    HOST: '127.0.0.1',
    PORT: String(port),
    SEED_DEMO: '1',
  });
  const origin = `http://127.0.0.1:${port}`;
  await until('the site', 90_000, async () => {
    if (site.proc.exitCode !== null) throw new Error(`the site exited:\n${site.lines.join('\n')}`);
    return (await fetch(`${origin}/healthz`).catch(() => null))?.ok;
  });
  const home = await (await fetch(`${origin}/`)).text();
  const articlePath = /href="(\/articles\/[^"?#]+)"/.exec(home)?.[1];
  if (!articlePath) throw new Error('no article linked from the home page');
  const articleUrl = `${origin}${articlePath}`;

  log(`adding ${SUBSCRIBERS.toLocaleString('en')} subscribers and a rendered edition …`);
  const { openDatabase } = await import('#db');
  const { createJobQueue } = await import('#jobs');
  const { systemClock } = await import('#lib/clock.ts');
  const { startSending, deliveryProgress } = await import('#newsletter');
  const { addRenderedEdition, addSubscribers } = await import('../tests/helpers/delivery.ts');
  const db = openDatabase({ kind: 'sqlite', file: dbFile });
  await addSubscribers(db, SUBSCRIBERS, { prefix: 'bench', domain: 'bench.example' });
  const html = `<!doctype html><html><body><h1>This week</h1>${'<p>A paragraph of the weekly edition, with a link to <a href="https://bench.example/articles/story">a story</a>.</p>'.repeat(40)}<p><a href="{{manage_url}}">Manage</a> · <a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>`;
  const edition = await addRenderedEdition(db, {
    html,
    text: `This week\n\n${'A paragraph of the weekly edition.\n'.repeat(40)}\nUnsubscribe: {{unsubscribe_url}}\n`,
  });

  log(`idle: article page at ${RATE} requests/s over ${CONNECTIONS} connections for ${DURATION_S} s …`);
  await p95(articleUrl, 1);
  const idle = await p95(articleUrl, DURATION_S);

  log('starting the SMTP sink and the sender (`masthead worker`) …');
  const sink = start(['bench/newsletter-send.ts', '--sink'], {}, 19);
  const sinkPort = await until('the sink', 20_000, () => sink.lines.find((l) => l.startsWith('port '))?.slice(5));
  const sinkCount = () =>
    Number(
      [...sink.lines]
        .reverse()
        .find((l) => l.startsWith('count '))
        ?.slice(6) ?? 0,
    );
  // NEWSLETTER_* and WORKER_* variables given to the benchmark reach the sender, to try other settings.
  const tuning = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => /^(NEWSLETTER|WORKER)_/.test(e[0]) && typeof e[1] === 'string',
    ),
  );
  const sender = start(
    [...FLAGS, 'bin/masthead.js', 'worker'],
    { ...base, ...tuning, LOG_LEVEL: 'info', SMTP_URL: `smtp://127.0.0.1:${sinkPort}` },
    10,
  );
  await until(
    'the sender',
    30_000,
    () => sender.lines.some((l) => l.includes('worker started')) || sender.proc.exitCode !== null,
  );
  if (sender.proc.exitCode !== null) throw new Error(`the sender exited: ${sender.lines.join('\n')}`);

  log('sending …');
  const jobs = createJobQueue(db, systemClock);
  const sendStart = performance.now();
  await startSending({ db, clock: systemClock, jobs, fromAddress: 'news@bench.example' }, edition);
  let sentAt: number | null = null;
  // Only the edition's status is polled: counting 100,000 rows ten times a second would
  // itself load the machine being measured.
  const status = async () =>
    (await db.kysely.selectFrom('editions').select('status').where('id', '=', edition).executeTakeFirstOrThrow())
      .status;
  const watch = (async () => {
    const end = Date.now() + SEND_DEADLINE_MS;
    while (Date.now() < end) {
      if ((await status()) === 'sent') return (sentAt = performance.now());
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  })();
  // Measure once the send is in full swing (the worker notices the job within its poll
  // interval), and count what the sink received meanwhile to show the two overlapped.
  await until('the send to get going', 60_000, () => sinkCount() >= Math.min(2000, SUBSCRIBERS / 10));
  const countBefore = sinkCount();
  const busy = await p95(articleUrl, DURATION_S);
  const sentDuringLoad = sinkCount() - countBefore;
  if (sentAt !== null) log('warning: the send ended before the busy measurement did');
  await watch;
  const senderPeak = peakRssBytes(sender.proc.pid);
  const progress = await deliveryProgress({ db }, edition);
  await until('the sink to count every message', 10_000, () => sinkCount() >= progress.sent);
  const received = sinkCount();
  await stop(sender);
  await stop(sink);
  await stop(site);
  await db.close();
  if (sentAt === null)
    throw new Error(`the edition was not sent within ${SEND_DEADLINE_MS / 1000} s: ${JSON.stringify(progress)}`);

  const seconds = (sentAt - sendStart) / 1000;
  const rate = progress.sent / seconds;
  const ratio = busy.p95 / Math.max(idle.p95, 1);
  const ok = (b: boolean) => (b ? 'met' : 'MISSED');
  const rows: [string, string, string, string][] = [
    [
      'messages/s (start → edition sent)',
      rate.toFixed(0),
      `≥ ${TARGETS.messagesPerSecond}`,
      ok(rate >= TARGETS.messagesPerSecond),
    ],
    [
      'sender peak RSS',
      senderPeak === null ? 'n/a' : `${(senderPeak / 1e6).toFixed(0)} MB`,
      `≤ ${TARGETS.senderRssMb} MB`,
      senderPeak === null ? 'n/a' : ok(senderPeak / 1e6 <= TARGETS.senderRssMb),
    ],
    ['article p95, idle', `${idle.p95} ms`, '', ''],
    ['article p95, while sending', `${busy.p95} ms`, `≤ ${TARGETS.p95Ratio}× idle`, ok(ratio <= TARGETS.p95Ratio)],
  ];
  console.log('');
  console.log(
    `Newsletter send: ${progress.sent.toLocaleString('en')} sent, ${progress.failed} failed, ${received.toLocaleString('en')} received by the sink, in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `Article page: idle ${idle.rps.toFixed(0)} req/s, while sending ${busy.rps.toFixed(0)} req/s (${RATE} req/s offered over ${CONNECTIONS} connections, ${DURATION_S} s each; ${idle.non2xx + busy.non2xx} non-2xx); ${sentDuringLoad.toLocaleString('en')} messages reached the sink during the busy measurement`,
  );
  console.log('');
  for (const r of rows) console.log(`  ${r[0].padEnd(44)} ${r[1].padStart(9)}   ${r[2].padEnd(12)} ${r[3]}`);
  console.log(
    `\nMachine: ${os.cpus().length} CPUs, Node ${process.version}, load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )}, ${NICE ? 'sender at nice 10 and sink at nice 19' : 'no nice'}${Object.keys(tuning).length ? `; sender settings ${JSON.stringify(tuning)}` : ''}`,
  );
}

// ---------------------------------------------------------------------------------------------
// --sink: a discarding SMTP server in its own process. Prints "port N", then "count N" lines.

async function runSink(): Promise<void> {
  const { startFaultySmtp } = await import('../tests/helpers/faulty-smtp.ts');
  const sink = await startFaultySmtp({ keep: false });
  process.stdout.write(`port ${new URL(sink.url).port}\n`);
  setInterval(() => process.stdout.write(`count ${sink.acceptedCount}\n`), 200);
  // Forget what was received: only the count matters here.
  setInterval(() => sink.accepted.splice(0), 1000);
  process.on('SIGTERM', () => void sink.close().then(() => process.exit(0)));
}

if (process.argv.includes('--sink')) await runSink();
else await main();
