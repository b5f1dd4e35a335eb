import type { BounceKind } from '../suppression.ts';

/**
 * One recipient's outcome read from a bounce notification, before we know which
 * subscriber it is. `kind` null means the notification is not about a failure (a delay,
 * a successful delivery, a "not spam" report): it is counted as ignored.
 */
export interface BounceFinding {
  kind: BounceKind | null;
  /** The recipient's address as the report gives it (lower-cased), if it gives one. */
  email: string | null;
  /** The Message-ID of our original message (`<…>`), if the report quotes it. */
  messageId: string | null;
  /** A short, address-free reason, e.g. `5.1.1`. */
  detail: string;
  /** `dsn`, `arf`, `auto-reply`, `webhook:generic`, `webhook:postmark`. */
  source: string;
}
