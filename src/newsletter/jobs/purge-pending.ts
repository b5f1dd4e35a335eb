import { z } from 'zod';
import { defineJob, type JobHandler } from '#jobs';
import { purgePending, PURGE_PENDING_JOB, type NewsletterDeps } from '../service.ts';

/**
 * `newsletter.purge-pending`: one is scheduled 7 days after each signup (keyed by
 * subscriber, so a repeated signup moves it). It purges every stale pending row, so a job
 * lost or run twice changes nothing.
 */
export function purgePendingJob(deps: Pick<NewsletterDeps, 'db' | 'clock'>): JobHandler {
  return defineJob({
    type: PURGE_PENDING_JOB,
    payload: z.object({}),
    async run() {
      await purgePending(deps);
    },
  });
}
