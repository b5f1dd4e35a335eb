export {
  startSending,
  pauseSending,
  resumeSending,
  deliveryProgress,
  deliveryOverview,
  type DeliveryProgress,
  type DeliveryOverview,
  type SendingDeps,
} from './service.ts';
export { laneRunner, listIdHeader, type DeliveryDeps } from './deliver.ts';
export { DELIVER_JOB, deliverJobKey } from './jobs.ts';
