import { z } from 'zod';
import { jobType } from '#jobs';

/**
 * The newsletter's own job types (delivery and editions declare theirs in their folders). The
 * composition root binds each to its work (src/job-handlers.ts).
 *
 * `newsletter.purge-pending`: one is scheduled 7 days after each signup (keyed by subscriber,
 * so a repeated signup moves it). It purges every stale pending row, so a job lost or run
 * twice changes nothing.
 */
export const PURGE_PENDING_JOB = jobType('newsletter.purge-pending', z.object({}));
