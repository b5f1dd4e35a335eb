import { z } from 'zod';
import { defineJob, type JobHandler } from '#jobs';
import { sendDueEdition } from './sending.ts';
import { EDITION_SEND_JOB, type EditionsDeps } from './service.ts';

/**
 * `newsletter.edition-send`: one per edition (unique key), due at its scheduled time.
 * Rescheduling moves it, unscheduling cancels it; a stale run finds the edition not due
 * and does nothing.
 */
export function editionSendJob(deps: EditionsDeps): JobHandler {
  return defineJob({
    type: EDITION_SEND_JOB,
    payload: z.object({ editionId: z.number().int().positive() }),
    maxAttempts: 20,
    async run(p) {
      await sendDueEdition(deps, p.editionId);
    },
  });
}
