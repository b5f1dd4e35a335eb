export {
  startSending,
  pauseSending,
  resumeSending,
  deliveryProgress,
  DELIVER_JOB,
  type DeliveryProgress,
  type SendingDeps,
} from './service.ts';
export { deliverJob, listIdHeader, type DeliveryDeps } from './deliver.ts';
