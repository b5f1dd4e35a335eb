import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from '#db';
import { fromDbJson, toDbTime } from '#db';
import type { Clock } from '#lib/clock.ts';
import * as q from './queries.ts';
import type { JobHandler } from './types.ts';

export interface RunnerOptions {
  db: Db;
  clock: Clock;
  handlers: readonly JobHandler[];
  /** Jobs run at once by this worker. */
  concurrency?: number;
  /** How long a claimed job stays ours without renewal; renewed every third of it. */
  leaseMs?: number;
  /** Upper bound between looks at the table when nothing wakes us. */
  pollMs?: number;
  /** First retry delay; doubles each attempt, capped at maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  onError?: (err: unknown, job: { id: number; type: string }) => void;
  /** Finished jobs are deleted after this long (done, cancelled) … */
  keepDoneMs?: number;
  /** … and failed ones after this long, so operators can still see what went wrong. */
  keepFailedMs?: number;
}

const HOUR = 3_600_000;

/**
 * An error that says trying again cannot help (an SMTP 5xx: the mailbox does not exist):
 * any error with `permanent: true`, such as the mailer's MailSendError. The job fails at once.
 */
function isPermanent(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'permanent' in err && err.permanent === true;
}

/**
 * A worker: claims due jobs with a lease, runs them, records the outcome. Any number of
 * workers may run against one database; a lease that expires (the worker died) makes the
 * job claimable again.
 */
export class JobRunner {
  readonly id = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  private readonly opts: Required<Omit<RunnerOptions, 'onError'>> & Pick<RunnerOptions, 'onError'>;
  private readonly handlers: Map<string, JobHandler>;
  private readonly running = new Map<number, Promise<void>>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private ticking = false;
  private again = false;
  /** The last claim filled every free slot, so more jobs may be due than it took. */
  private saturated = false;
  private stopped = true;
  private lastPrune = 0;

  constructor(opts: RunnerOptions) {
    this.opts = {
      concurrency: 4,
      leaseMs: 60_000,
      pollMs: 1000,
      backoffMs: 10_000,
      maxBackoffMs: 3_600_000,
      keepDoneMs: 7 * 24 * HOUR,
      keepFailedMs: 30 * 24 * HOUR,
      ...opts,
    };
    this.handlers = new Map(opts.handlers.map((h) => [h.type, h]));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.leaseTimer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.opts.leaseMs / 3)));
    this.leaseTimer.unref();
    this.wake();
  }

  /** Look for work now (after an enqueue, or a notification from another process). */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    void this.tick();
  }

  /** Stops claiming, asks running handlers to stop, waits for them (bounded). */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    const all = Promise.allSettled([...this.running.values()]);
    await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
  }

  get activeCount(): number {
    return this.running.size;
  }

  private async tick(): Promise<void> {
    this.ticking = true;
    if (this.timer) clearTimeout(this.timer);
    try {
      do {
        this.again = false;
        const free = this.opts.concurrency - this.running.size;
        if (free <= 0) break;
        const now = this.opts.clock.now();
        await this.pruneHourly(now);
        const jobs = await q.claimJobs(this.opts.db.kysely, this.opts.db.dialect, {
          worker: this.id,
          now: toDbTime(now),
          leaseUntil: toDbTime(new Date(now.getTime() + this.opts.leaseMs)),
          limit: free,
          types: [...this.handlers.keys()],
        });
        for (const job of jobs) {
          const p = this.execute(job).finally(() => {
            this.running.delete(job.id);
            // A freed slot only matters if jobs were left behind. Jobs enqueued since then
            // woke us already (in this process) or are found by the poll (from another).
            if (this.saturated) this.wake();
          });
          this.running.set(job.id, p);
        }
        this.saturated = jobs.length === free;
        if (this.saturated) this.again = true;
      } while (this.again && !this.stopped);
    } catch (err) {
      this.opts.onError?.(err, { id: 0, type: '(claim)' });
    }
    // Still `ticking` while the next due time is read, so a wake() meanwhile sets `again`
    // instead of starting a second tick whose timer this one would then overwrite (a lost
    // timer that stop() cannot clear keeps the process alive for up to pollMs).
    const delay = this.stopped ? 0 : await this.delayUntilNext();
    this.ticking = false;
    if (this.stopped) return;
    if (this.again) {
      void this.tick();
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    // Referenced on purpose: a started worker keeps its process alive until stop().
    this.timer = setTimeout(() => this.wake(), delay);
  }

  /** At most once an hour per worker: delete finished jobs past their keeping time. */
  private async pruneHourly(now: Date): Promise<void> {
    if (now.getTime() - this.lastPrune < HOUR) return;
    this.lastPrune = now.getTime();
    try {
      await q.pruneFinished(
        this.opts.db.kysely,
        toDbTime(new Date(now.getTime() - this.opts.keepDoneMs)),
        toDbTime(new Date(now.getTime() - this.opts.keepFailedMs)),
      );
    } catch (err) {
      this.opts.onError?.(err, { id: 0, type: '(prune)' });
    }
  }

  private async delayUntilNext(): Promise<number> {
    try {
      const next = await q.nextRunAt(this.opts.db.kysely, [...this.handlers.keys()]);
      if (!next) return this.opts.pollMs;
      const ms = new Date(next).getTime() - this.opts.clock.now().getTime();
      return Math.max(10, Math.min(this.opts.pollMs, ms));
    } catch {
      return this.opts.pollMs;
    }
  }

  private async execute(job: q.JobRow): Promise<void> {
    const k = this.opts.db.kysely;
    const handler = this.handlers.get(job.type);
    const nowIso = () => toDbTime(this.opts.clock.now());
    try {
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      const parsed = handler.payload.safeParse(fromDbJson<unknown>(job.payload, null));
      if (!parsed.success) {
        // A payload that can never be valid is not retried.
        await q.failJob(k, job.id, this.id, `invalid payload: ${parsed.error.message}`.slice(0, 2000), nowIso(), null);
        return;
      }
      await handler.run(parsed.data, {
        jobId: job.id,
        attempt: job.attempts,
        clock: this.opts.clock,
        signal: this.abort.signal,
      });
      await q.completeJob(k, job.id, this.id, nowIso());
    } catch (err) {
      this.opts.onError?.(err, { id: job.id, type: job.type });
      const message = err instanceof Error ? err.message : String(err);
      const retry = job.attempts < job.max_attempts && !this.stopped && !isPermanent(err);
      const delay = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** (job.attempts - 1));
      // Jitter spreads retries of many failed jobs (say, after an outage) over time.
      const jittered = Math.round(delay * (0.75 + crypto.randomInt(0, 500) / 1000));
      const retryAt = retry ? toDbTime(new Date(this.opts.clock.now().getTime() + jittered)) : null;
      await q
        .failJob(k, job.id, this.id, message.slice(0, 2000), nowIso(), this.stopped ? nowIso() : retryAt)
        .catch(() => {});
    }
  }

  private async renew(): Promise<void> {
    if (this.running.size === 0) return;
    const until = toDbTime(new Date(this.opts.clock.now().getTime() + this.opts.leaseMs));
    await q
      .renewLeases(this.opts.db.kysely, this.id, [...this.running.keys()], until)
      .catch((err) => this.opts.onError?.(err, { id: 0, type: '(lease)' }));
  }
}
