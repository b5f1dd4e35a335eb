import { AppError } from '#lib/errors.ts';
import { int, obj, str, type ProviderEvent } from './provider.ts';

/** Signatures older (or newer) than this are refused, as Stripe's libraries do: replay protection. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export const SIGNATURE_INVALID = () =>
  new AppError(400, 'SUPPORT_SIGNATURE_INVALID', 'The webhook signature is not valid.');

/** A Stripe-shaped event object as ours, or null if it lacks an id, type or object. */
export function eventFromStripe(raw: unknown): ProviderEvent | null {
  const e = obj(raw);
  const id = str(e?.id);
  const type = str(e?.type);
  const object = obj(obj(e?.data)?.object);
  if (!e || !id || !type || !object) return null;
  return { id, type, created: int(e.created) ?? 0, object };
}

/**
 * Verifies a `Stripe-Signature` header over the exact bytes received (HMAC-SHA256 with the
 * endpoint secret, timestamp within 5 minutes) and parses the event. Both providers sign
 * this way, so one function guards the one endpoint.
 */
export async function verifySignedEvent(
  rawBody: Buffer,
  signature: string | undefined,
  secret: string,
  nowSeconds: number,
): Promise<ProviderEvent> {
  if (!signature) throw SIGNATURE_INVALID();
  // The library refuses old signatures; one dated in the future is refused here.
  const t = /(?:^|,)t=([0-9]{1,12})(?:,|$)/.exec(signature);
  if (!t?.[1] || Number(t[1]) > nowSeconds + SIGNATURE_TOLERANCE_SECONDS) throw SIGNATURE_INVALID();
  // The SDK adds about 37 MB to a process; a site in test mode, or one that never receives a
  // webhook, should not carry it (ADR 008).
  const { default: Stripe } = await import('stripe');
  let event: unknown;
  try {
    event = Stripe.webhooks.constructEvent(
      rawBody,
      signature,
      secret,
      SIGNATURE_TOLERANCE_SECONDS,
      undefined,
      nowSeconds * 1000,
    );
  } catch (err) {
    throw new AppError(400, 'SUPPORT_SIGNATURE_INVALID', 'The webhook signature is not valid.', { cause: err });
  }
  const parsed = eventFromStripe(event);
  if (!parsed) throw new AppError(400, 'SUPPORT_EVENT_MALFORMED', 'The event has no id, type or object.');
  return parsed;
}
