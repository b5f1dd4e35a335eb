import type { z } from 'zod';
import type { Clock } from '#lib/clock.ts';

export interface JobContext {
  jobId: number;
  attempt: number;
  clock: Clock;
  /** Aborted when the worker is shutting down; long handlers should stop early. */
  signal: AbortSignal;
}

/**
 * A kind of job as the code that enqueues it knows it: its name, the schema its payload must
 * meet and how often it is tried. A feature declares its job types in its `jobs.ts`; the
 * composition root binds each to the work it runs (`handle`). Keeping the two apart is what
 * lets a service enqueue a job whose work is another function of the same feature without an
 * import cycle.
 */
export interface JobType<S extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly payload: S;
  /** Tries before the job fails for good; the queue's default (10) when absent. */
  readonly maxAttempts?: number;
}

export function jobType<S extends z.ZodType>(
  type: string,
  payload: S,
  opts: { maxAttempts?: number } = {},
): JobType<S> {
  return { type, payload, ...(opts.maxAttempts === undefined ? {} : { maxAttempts: opts.maxAttempts }) };
}

/**
 * One kind of background work. Handlers must be idempotent: a job whose worker died after
 * doing the work but before recording it runs again. A thrown error is retried with backoff,
 * unless it carries `permanent: true` (retrying cannot help): then the job fails at once.
 */
export interface JobHandler<S extends z.ZodType = z.ZodType> {
  type: string;
  payload: S;
  run(payload: z.output<S>, ctx: JobContext): Promise<void>;
}

export function defineJob<S extends z.ZodType>(h: JobHandler<S>): JobHandler<S> {
  return h;
}

/** Binds a job type to the work it runs; whatever the work returns is ignored. */
export function handle<S extends z.ZodType>(
  job: JobType<S>,
  work: (payload: z.output<S>, ctx: JobContext) => Promise<unknown>,
): JobHandler<S> {
  return defineJob({
    type: job.type,
    payload: job.payload,
    async run(payload, ctx) {
      await work(payload, ctx);
    },
  });
}
