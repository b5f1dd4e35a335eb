import { z } from 'zod';
import { defineJob, type JobHandler } from '#jobs';
import type { SupportDeps } from './deps.ts';
import { reminderJob } from './reminders.ts';
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

/** Every support job handler. */
export function supportJobs(deps: SupportDeps): JobHandler[] {
  return [reminderJob(deps), testWebhookJob(deps)];
}
