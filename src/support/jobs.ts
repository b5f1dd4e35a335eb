import { z } from 'zod';
import { defineJob, type JobHandler } from '#jobs';
import type { SupportDeps } from './deps.ts';
import { toDbTime } from '#db';
import * as q from './queries.ts';
import { reminderJob } from './reminders.ts';
import { CLEANUP_JOB } from './throttle.ts';
import { TEST_WEBHOOK_JOB, TestProvider } from './test-provider.ts';

/** The test provider's webhook delivery: retried with backoff until our endpoint answers 2xx. */
function testWebhookJob(deps: SupportDeps): JobHandler {
  return defineJob({
    type: TEST_WEBHOOK_JOB,
    payload: z.object({ eventId: z.string().min(1).max(100) }),
    maxAttempts: 20,
    async run(p) {
      if (deps.provider instanceof TestProvider) await deps.provider.deliverEvent(p.eventId);
    },
  });
}

/** Sweeps throttle windows older than a day and expired magic links and manage sessions. */
function cleanupJob(deps: SupportDeps): JobHandler {
  return defineJob({
    type: CLEANUP_JOB,
    payload: z.object({}),
    async run(_p, ctx) {
      const now = ctx.clock.now();
      await q.deleteThrottleBefore(deps.db.kysely, toDbTime(new Date(now.getTime() - 24 * 3_600_000)));
      await q.deleteExpiredTokens(deps.db.kysely, toDbTime(now));
    },
  });
}

export const FORGET_CUSTOMER_JOB = 'support.forget-customer';

/**
 * After an erasure: deletes the supporter's customer at the provider, retried until the
 * provider answers. A job for another provider than the configured one (keys changed since)
 * has nobody left to ask and ends.
 */
function forgetCustomerJob(deps: SupportDeps): JobHandler {
  return defineJob({
    type: FORGET_CUSTOMER_JOB,
    payload: z.object({ provider: z.string().min(1).max(20), customerId: z.string().min(1).max(255) }),
    maxAttempts: 12,
    async run(p) {
      if (p.provider === deps.provider.name) await deps.provider.deleteCustomer(p.customerId);
    },
  });
}

/** Every support job handler. */
export function supportJobs(deps: SupportDeps): JobHandler[] {
  return [reminderJob(deps), testWebhookJob(deps), cleanupJob(deps), forgetCustomerJob(deps)];
}
