import type { FastifyInstance } from 'fastify';
import { isAppError, ValidationError } from '#lib/errors.ts';
import * as support from '#support';
import type { SiteRuntime } from '../runtime.ts';
import formbody from '@fastify/formbody';
import { field, noStore } from './http.ts';
import { assertSameOrigin } from './origin.ts';
import * as pages from './pages.ts';

export const WEBHOOK_PATH = '/support/webhook';

/** The webhook endpoint (both providers) and the test provider's own pages. */
export function registerProviderRoutes(app: FastifyInstance, site: SiteRuntime): void {
  const deps = app.masthead.support;

  // The signature covers the exact bytes sent, so this route alone keeps the raw body.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (_request, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler(async (err, request, reply) => {
      const status = isAppError(err)
        ? err.status
        : typeof (err as { statusCode?: unknown }).statusCode === 'number' &&
            (err as { statusCode: number }).statusCode < 500
          ? (err as { statusCode: number }).statusCode
          : 500;
      if (status >= 500) request.log.error({ err }, 'webhook failed; the provider will retry');
      return reply
        .code(status)
        .header('cache-control', 'no-store')
        .send({
          error: isAppError(err) ? err.code : status >= 500 ? 'SUPPORT_WEBHOOK_FAILED' : 'SUPPORT_WEBHOOK_REFUSED',
        });
    });
    scope.post(WEBHOOK_PATH, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const sig = request.headers['stripe-signature'];
      const { eventId, result } = await support.receiveWebhook(deps, raw, typeof sig === 'string' ? sig : undefined);
      return reply.header('cache-control', 'no-store').send({ received: true, id: eventId, result });
    });
  });

  const provider = deps.provider;
  if (!(provider instanceof support.TestProvider)) return;
  const test = provider;
  // The test provider delivers its signed webhooks through this very app and endpoint.
  test.delivery = async (rawBody, signature) =>
    (
      await app.inject({
        method: 'POST',
        url: WEBHOOK_PATH,
        payload: rawBody,
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      })
    ).statusCode;

  const sessionView = (s: Record<string, unknown>) => ({
    id: String(s.id),
    amount: Number(s.amount_total),
    currency: String(s.currency),
    interval: (s.interval === 'month' || s.interval === 'year' ? s.interval : null) as 'month' | 'year' | null,
    description: String(s.description ?? 'Support'),
    cancelUrl: String(s.cancel_url),
    paid: s.status === 'complete',
  });

  app.get<{ Params: { id: string } }>('/support/test-checkout/:id', async (request, reply) => {
    const s = await test.getSession(request.params.id);
    return noStore(reply).send(pages.testCheckoutPage(await site.context(), sessionView(s)));
  });

  app.get<{ Querystring: { return?: string } }>('/support/test-payment-method', async (request, reply) => {
    const ctx = await site.context();
    const back =
      typeof request.query.return === 'string' && request.query.return.startsWith(`${ctx.settings.baseUrl}/`)
        ? request.query.return
        : '/support/manage/account';
    return noStore(reply).send(pages.testPaymentMethodPage(ctx, back));
  });

  void app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 4096 });
    scope.post<{ Params: { id: string } }>('/support/test-checkout/:id', async (request, reply) => {
      assertSameOrigin(request);
      const s = await test.getSession(request.params.id);
      let email: string;
      try {
        email = support.parseEmail(field(request.body, 'email'));
      } catch (err) {
        if (err instanceof ValidationError)
          return noStore(reply)
            .code(400)
            .send(pages.testCheckoutPage(await site.context(), sessionView(s), err.message));
        throw err;
      }
      const url = await test.completeSession(request.params.id, email);
      return reply.header('cache-control', 'no-store').redirect(url, 303);
    });
  });
}
