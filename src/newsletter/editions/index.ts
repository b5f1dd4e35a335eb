export {
  getEdition,
  listEditions,
  createEdition,
  saveComposer,
  discardEdition,
  previewEdition,
  sendTestEdition,
  renderInput,
  EDITABLE,
  type Edition,
  type EditionItem,
  type EditionSummary,
  type EditionsDeps,
} from './service.ts';
export {
  scheduleEdition,
  unscheduleEdition,
  sendDueEdition,
  ensureAutoDraft,
  MAX_SCHEDULE_AHEAD_MS,
} from './sending.ts';
export { listPublicEditions, getPublicEdition, findLatestPublicEdition, type ArchiveDeps } from './archive.ts';
export { EDITION_SEND_JOB, sendJobKey } from './jobs.ts';
export {
  renderEdition,
  editionMjml,
  editionText,
  withPreviewLinks,
  articleUrl,
  UNSUBSCRIBE_PLACEHOLDER,
  MANAGE_PLACEHOLDER,
  type RenderInput,
  type RenderItem,
} from './render.ts';
export { nextFridayNine, zonedTimeToUtc, fromLocalInput, toLocalInput, describeLocal, localDate } from './schedule.ts';
export { parseOp, LIMITS, type ComposerOp, type EditionFields, type ItemTexts } from './commands.ts';
export { seedDemoEdition } from './demo.ts';
