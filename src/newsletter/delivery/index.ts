export {
  startSending,
  pauseSending,
  resumeSending,
  deliveryProgress,
  deliveryOverview,
  DELIVER_JOB,
  type DeliveryProgress,
  type DeliveryOverview,
  type SendingDeps,
} from './service.ts';
export { deliverJob, listIdHeader, type DeliveryDeps } from './deliver.ts';
