import { z } from 'zod';
import { jobType } from '#jobs';

/**
 * `newsletter.deliver`: one lane of one edition's send (see deliver.ts). Lane 0 is written
 * when sending starts and writes the other lanes itself. Tried many times: a lane that a
 * crash or a shutdown interrupted picks up where its rows say it stopped.
 */
export const DELIVER_JOB = jobType(
  'newsletter.deliver',
  z.object({ editionId: z.number().int().positive(), lane: z.number().int().min(0).max(63) }),
  { maxAttempts: 100 },
);

export type DeliverPayload = z.output<typeof DELIVER_JOB.payload>;

export const deliverJobKey = (editionId: number, lane: number | string): string =>
  `${DELIVER_JOB.type}:${editionId}:${lane}`;
