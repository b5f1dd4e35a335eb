import { z } from 'zod';
import { jobType } from '#jobs';

/**
 * Reader support's job types. The composition root binds each to its work
 * (src/job-handlers.ts); the work lives with the operation it belongs to.
 */

/** `support.reminder`: one "Remind me later" email, due on the first of the chosen month. */
export const REMINDER_JOB = jobType('support.reminder', z.object({ id: z.number().int().positive() }));

/** `support.test-webhook`: the test provider's webhook delivery, retried with backoff until our endpoint answers 2xx. */
export const TEST_WEBHOOK_JOB = jobType('support.test-webhook', z.object({ eventId: z.string().min(1).max(100) }), {
  maxAttempts: 20,
});

/** `support.cleanup`: sweeps throttle windows older than a day and expired magic links and manage sessions. */
export const CLEANUP_JOB = jobType('support.cleanup', z.object({}));

/**
 * `support.forget-customer`: after an erasure, deletes the supporter's customer at the
 * provider, retried until the provider answers.
 */
export const FORGET_CUSTOMER_JOB = jobType(
  'support.forget-customer',
  z.object({ provider: z.string().min(1).max(20), customerId: z.string().min(1).max(255) }),
  { maxAttempts: 12 },
);
