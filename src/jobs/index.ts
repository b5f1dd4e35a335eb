export { JobRunner, type RunnerOptions } from './runner.ts';
export { createJobQueue, type JobQueue, type EnqueueOptions } from './queue.ts';
export { defineJob, handle, jobType, type JobHandler, type JobContext, type JobType } from './types.ts';
export { findJobByKey, findJob, type JobRow } from './queries.ts';
