import type { SupportDeps } from './deps.ts';
import { applyEvent, type ApplyResult } from './ledger.ts';

/**
 * The webhook endpoint's whole job: verify the signature over the raw bytes (throws 400
 * SUPPORT_SIGNATURE_INVALID, changing nothing), then apply the event once. A failure
 * while applying propagates as a 500, so the provider delivers the event again. An event
 * the ledger refuses is answered 200 with result "rejected", so the provider stops.
 */
export async function receiveWebhook(
  deps: SupportDeps,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<{ eventId: string; result: ApplyResult }> {
  const event = await deps.provider.verifyEvent(rawBody, signature);
  return { eventId: event.id, result: await applyEvent(deps, event) };
}

/**
 * Repairs missed webhooks: lists the provider's events of the last `days` days and runs each
 * through the same ledger code; events already applied are skipped by their id.
 */
export async function reconcile(
  deps: SupportDeps,
  days: number,
): Promise<{ seen: number; applied: number; duplicate: number; ignored: number; rejected: number }> {
  const since = Math.floor(deps.clock.now().getTime() / 1000) - Math.round(days * 86_400);
  const events = await deps.provider.listEvents(since);
  const counts = { seen: events.length, applied: 0, duplicate: 0, ignored: 0, rejected: 0 };
  for (const e of events) counts[await applyEvent(deps, e)]++;
  return counts;
}
