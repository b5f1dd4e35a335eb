import { z } from 'zod';
import { ValidationError } from '#lib/errors.ts';
import type { BounceKind } from '../suppression.ts';
import type { BounceFinding } from './types.ts';

/** Notifications per request: a provider batches, an attacker with the URL should not stall the server. */
export const MAX_FINDINGS = 1000;

const email = z.string().trim().toLowerCase().max(320);
const messageId = z
  .string()
  .trim()
  .max(250)
  .transform((v) => (v.startsWith('<') ? v : `<${v}>`));
const detail = z.string().max(1000).optional();

/**
 * Our own format, for any sender that can be scripted: one event or `{events: [...]}`.
 * `{"type": "hard" | "soft" | "complaint" | "auto-reply", "email": "...", "messageId": "<...>", "detail": "..."}`
 */
const genericEvent = z
  .object({
    type: z.enum(['hard', 'soft', 'complaint', 'auto-reply']),
    email: email.optional(),
    messageId: messageId.optional(),
    detail,
  })
  .refine((e) => e.email !== undefined || e.messageId !== undefined, { message: 'needs email or messageId' });
const generic = z.union([z.object({ events: z.array(genericEvent).min(1).max(MAX_FINDINGS) }), genericEvent]);

/**
 * Postmark's bounce and spam-complaint webhooks (RecordType "Bounce" / "SpamComplaint").
 * Its MessageID is Postmark's own, not ours, so the address identifies the reader.
 */
const postmark = z.object({
  RecordType: z.enum(['Bounce', 'SpamComplaint']),
  Type: z.string().max(100).optional(),
  Email: email,
  Details: detail,
  Description: detail,
});

// Postmark types that are not a failure of our message (subscribe/unsubscribe requests,
// address changes, challenge mails) are ignored; the temporary ones count as soft.
const POSTMARK_HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated', 'Blocked']);
const POSTMARK_SOFT = new Set(['SoftBounce', 'Transient', 'DnsError', 'Unknown']);

function postmarkKind(recordType: string, type: string | undefined): BounceKind | null {
  if (recordType === 'SpamComplaint' || type === 'SpamComplaint' || type === 'SpamNotification') return 'complaint';
  if (type === 'AutoResponder') return 'auto-reply';
  if (type && POSTMARK_HARD.has(type)) return 'hard';
  if (type && POSTMARK_SOFT.has(type)) return 'soft';
  return null;
}

/** Reads a JSON bounce notification in one of the formats we know; ValidationError if it is none of them. */
export function readJsonNotification(body: unknown): BounceFinding[] {
  const pm = postmark.safeParse(body);
  if (pm.success) {
    const d = pm.data;
    return [
      {
        kind: postmarkKind(d.RecordType, d.Type),
        email: d.Email,
        messageId: null,
        detail: `${d.RecordType} ${d.Type ?? ''}`.trim(),
        source: 'webhook:postmark',
      },
    ];
  }
  const g = generic.safeParse(body);
  if (g.success) {
    const events = 'events' in g.data ? g.data.events : [g.data];
    return events.map((e) => ({
      kind: e.type,
      email: e.email ?? null,
      messageId: e.messageId ?? null,
      detail: (e.detail ?? '').slice(0, 200),
      source: 'webhook:generic',
    }));
  }
  throw new ValidationError(
    'BOUNCE_FORMAT_UNKNOWN',
    'Not a bounce notification we know. Send {"type": "hard"|"soft"|"complaint"|"auto-reply", "email": "…"} (or {"events": […]}), a Postmark bounce or spam-complaint webhook, or a DSN/ARF message as message/rfc822.',
  );
}
