import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { ORIGIN } from './newsletter.ts';

/** Row counts of every support table: "nothing changed" is these being equal. */
export async function supportCounts(app: FastifyInstance): Promise<Record<string, number>> {
  const k = app.masthead.db.kysely;
  const out: Record<string, number> = {};
  for (const t of [
    'supporters',
    'payments',
    'recurring_plans',
    'processed_events',
    'checkout_attempts',
    'support_tokens',
    'support_reminders',
  ] as const) {
    const r = await k
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

/** A reader's browser posting the support form with JavaScript off. */
export function postCheckout(
  app: FastifyInstance,
  form: Record<string, string>,
  opts: { ip?: string; origin?: string | null } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const origin = opts.origin === undefined ? ORIGIN : opts.origin;
  if (origin !== null) headers.origin = origin;
  return app.inject({
    method: 'POST',
    url: '/support/checkout',
    remoteAddress: opts.ip ?? '198.51.100.7',
    headers,
    payload: new URLSearchParams(form).toString(),
  });
}

/** Signs a payload as the provider does and posts it to our webhook endpoint. */
export function postEvent(
  app: FastifyInstance,
  payload: string,
  secret: string,
  opts: { timestamp?: number; header?: string } = {},
) {
  const header =
    opts.header ??
    Stripe.webhooks.generateTestHeaderString({
      payload,
      secret,
      ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
    });
  return app.inject({
    method: 'POST',
    url: '/support/webhook',
    payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
  });
}

/** A Stripe-shaped event around an object. */
export function event(
  id: string,
  type: string,
  object: Record<string, unknown>,
  created = Math.floor(Date.now() / 1000),
): string {
  return JSON.stringify({ id, object: 'event', type, created, data: { object } });
}
