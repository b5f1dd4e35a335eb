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
 * One kind of background work. Handlers must be idempotent: a job whose worker died after
 * doing the work but before recording it runs again. A thrown error is retried with backoff,
 * unless it carries `permanent: true` (retrying cannot help): then the job fails at once.
 */
export interface JobHandler<S extends z.ZodType = z.ZodType> {
  type: string;
  payload: S;
  maxAttempts?: number;
  run(payload: z.output<S>, ctx: JobContext): Promise<void>;
}

export function defineJob<S extends z.ZodType>(h: JobHandler<S>): JobHandler<S> {
  return h;
}
