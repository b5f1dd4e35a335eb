// A newsletter sender in its own process, for the kill -9 test and the benchmark: a job
// worker that runs only `newsletter.deliver`, with the real engine and a pooled SMTP
// transport. Configured by MASTHEAD_SENDER (JSON); prints "ready" once it is working, and
// on SIGTERM stops cleanly. Its peak RSS is printed on exit when asked (`reportRss`).
import { loadConfig } from '#config';
import { openDatabase, type DatabaseTarget } from '#db';
import { createJobQueue, handle, JobRunner } from '#jobs';
import { systemClock } from '#lib/clock.ts';
import { createMailer } from '#mail';
import { DELIVER_JOB, laneRunner, type DeliveryDeps } from '#newsletter';
import { defaultSettings } from '#settings';

interface SenderOptions {
  target: DatabaseTarget;
  smtpUrl: string;
  from: string;
  baseUrl: string;
  /** NEWSLETTER_* variables, as the server would read them. */
  env?: Record<string, string>;
  /** Short leases make a killed sender's work claimable again quickly. */
  leaseMs: number;
  pollMs?: number;
  reportRss?: boolean;
  /** Jobs this worker runs at once (default 4); 1 makes it hold a single lane. */
  concurrency?: number;
}

const o = JSON.parse(process.env.MASTHEAD_SENDER ?? 'null') as SenderOptions;
const config = loadConfig({ NODE_ENV: 'test', SMTP_URL: o.smtpUrl, MAIL_FROM: o.from, BASE_URL: o.baseUrl, ...o.env });
const db = openDatabase(o.target);
const clock = systemClock;
let runner: JobRunner | null = null;
const jobs = createJobQueue(db, clock, () => runner?.wake());
const mailer = createMailer({ db, clock, config: config.mail });
const deps: DeliveryDeps = {
  db,
  clock,
  jobs,
  mailer,
  settings: { db, clock, defaults: defaultSettings(o.baseUrl), contentChanged: () => {} },
  fromAddress: config.mail.from.address,
  mail: config.mail,
  sending: { ...config.newsletter, leaseMs: o.leaseMs, pollMs: o.pollMs ?? 100 },
};
runner = new JobRunner({
  db,
  clock,
  handlers: [handle(DELIVER_JOB, laneRunner(deps))],
  concurrency: o.concurrency ?? 4,
  leaseMs: o.leaseMs,
  pollMs: o.pollMs ?? 100,
  backoffMs: 100,
  maxBackoffMs: 1000,
});
runner.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void runner
    ?.stop()
    .then(() => mailer.close())
    .then(() => db.close())
    .then(() => {
      if (o.reportRss) process.stdout.write(`peak-rss ${process.resourceUsage().maxRSS * 1024}\n`);
      process.exit(0);
    });
});
