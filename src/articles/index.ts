export * from './service.ts';
export type * from './types.ts';
export type { ArticleInput } from './commands.ts';
export { VARIANT_WIDTHS } from './images.ts';
export { seedDemo } from './seed.ts';
export { demoPublication } from './demo/content.ts';
export { demoPrivacyPolicy } from './demo/privacy-policy.ts';
export { scheduleArticle, unscheduleArticle, publishIfDue, publishNow, unpublishArticle } from './publishing.ts';
export { PUBLISH_JOB, publishJobKey } from './jobs.ts';
export {
  listAllArticles,
  getArticleForEditing,
  submitForReview,
  listAuthors,
  type ArticleListItem,
  type ArticleFilter,
} from './drafts.ts';
export { renderMarkdown } from './markdown.ts';
export {
  uploadMedia,
  listMedia,
  getMedia,
  updateMediaDetails,
  MAX_UPLOAD_BYTES,
  type MediaItem,
  type MediaUpload,
  type MediaDetails,
} from './media.ts';
export {
  listRevisions,
  getRevision,
  compareRevision,
  restoreRevision,
  autosaveArticle,
  AUTOSAVE_NOTE,
  type Revision,
  type RevisionSummary,
  type RevisionComparison,
} from './revisions.ts';
