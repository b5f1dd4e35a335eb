import { z } from 'zod';
import { jobType } from '#jobs';

/**
 * The articles' job types. The composition root binds each to its work (src/job-handlers.ts).
 *
 * `articles.publish-scheduled`: one per scheduled article (unique key), due at its time;
 * rescheduling moves it, unscheduling cancels it, and a stale run publishes nothing.
 */
export const PUBLISH_JOB = jobType('articles.publish-scheduled', z.object({ articleId: z.number().int().positive() }));

export const publishJobKey = (articleId: number): string => `${PUBLISH_JOB.type}:${articleId}`;
