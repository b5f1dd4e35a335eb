export { readReport, REPORT_MAX_BYTES } from './report.ts';
export { readJsonNotification, MAX_FINDINGS } from './formats.ts';
export {
  ingestFindings,
  bounceWebhookSecret,
  rotateBounceWebhookSecret,
  isBounceWebhookSecret,
  type IngestSummary,
} from './ingest.ts';
export type { BounceFinding } from './types.ts';
