import type { Kysely } from 'kysely';
import type { Database, Db } from '#db';
import { toDbTime } from '#db';
import type { z } from 'zod';
import type { Clock } from '#lib/clock.ts';
import * as q from './queries.ts';
import type { JobType } from './types.ts';

export interface EnqueueOptions {
  /** When to run; default now. */
  runAt?: Date;
  /** At most one waiting job per key: enqueuing again reschedules it. */
  uniqueKey?: string;
  /** Overrides the job type's own number of tries. */
  maxAttempts?: number;
  /** A transaction to enqueue in, so the job exists if and only if the caller's change commits. */
  trx?: Kysely<Database>;
}

export interface JobQueue {
  /**
   * Writes a job. A job type's payload is checked here, so a job that could never run is
   * refused to the code that wrote it instead of failing later in a worker. A bare name is
   * for the queue's own tests.
   */
  enqueue<S extends z.ZodType>(job: JobType<S> | string, payload: z.input<S>, opts?: EnqueueOptions): Promise<number>;
  cancel(uniqueKey: string, trx?: Kysely<Database>): Promise<boolean>;
  /** Called after a commit that enqueued work, so an in-process worker looks at once. */
  notify(): void;
}

export function createJobQueue(db: Db, clock: Clock, onEnqueued: () => void = () => {}): JobQueue {
  return {
    async enqueue(job, payload, opts = {}) {
      const now = clock.now();
      const type = typeof job === 'string' ? job : job.type;
      if (typeof job !== 'string') job.payload.parse(payload);
      const id = await q.insertJob(opts.trx ?? db.kysely, {
        type,
        payload,
        runAt: toDbTime(opts.runAt ?? now),
        uniqueKey: opts.uniqueKey ?? null,
        maxAttempts: opts.maxAttempts ?? (typeof job === 'string' ? undefined : job.maxAttempts) ?? 10,
        now: toDbTime(now),
      });
      if (!opts.trx) onEnqueued();
      return id;
    },
    async cancel(uniqueKey, trx) {
      return q.cancelJob(trx ?? db.kysely, uniqueKey, toDbTime(clock.now()));
    },
    notify: onEnqueued,
  };
}
