import type { Kysely } from 'kysely';
import type { Database, Db } from '#db';
import { toDbTime } from '#db';
import type { Clock } from '#lib/clock.ts';
import * as q from './queries.ts';

export interface EnqueueOptions {
  /** When to run; default now. */
  runAt?: Date;
  /** At most one waiting job per key: enqueuing again reschedules it. */
  uniqueKey?: string;
  maxAttempts?: number;
  /** A transaction to enqueue in, so the job exists if and only if the caller's change commits. */
  trx?: Kysely<Database>;
}

export interface JobQueue {
  enqueue(type: string, payload: unknown, opts?: EnqueueOptions): Promise<number>;
  cancel(uniqueKey: string, trx?: Kysely<Database>): Promise<boolean>;
  /** Called after a commit that enqueued work, so an in-process worker looks at once. */
  notify(): void;
}

export function createJobQueue(db: Db, clock: Clock, onEnqueued: () => void = () => {}): JobQueue {
  return {
    async enqueue(type, payload, opts = {}) {
      const now = clock.now();
      const id = await q.insertJob(opts.trx ?? db.kysely, {
        type,
        payload,
        runAt: toDbTime(opts.runAt ?? now),
        uniqueKey: opts.uniqueKey ?? null,
        maxAttempts: opts.maxAttempts ?? 10,
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
