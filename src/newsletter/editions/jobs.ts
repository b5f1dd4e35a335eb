import { z } from 'zod';
import { jobType } from '#jobs';

/**
 * `newsletter.edition-send`: one per edition (unique key), due at its scheduled time.
 * Rescheduling moves it, unscheduling cancels it; a stale run finds the edition not due
 * and does nothing. The composition root binds it to `sendDueEdition`.
 */
export const EDITION_SEND_JOB = jobType(
  'newsletter.edition-send',
  z.object({ editionId: z.number().int().positive() }),
  {
    maxAttempts: 20,
  },
);

export const sendJobKey = (editionId: number): string => `${EDITION_SEND_JOB.type}:${editionId}`;
