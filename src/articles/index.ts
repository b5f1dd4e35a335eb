export * from './service.ts';
export type * from './types.ts';
export type { ArticleInput } from './commands.ts';
export { VARIANT_WIDTHS } from './images.ts';
export { seedDemo } from './seed.ts';
export { scheduleArticle, unscheduleArticle, publishIfDue, publishJob, PUBLISH_JOB } from './publishing.ts';
