import fs from 'node:fs';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseId } from '#http';
import { isAppError, ValidationError } from '#lib/errors.ts';
import * as support from '#support';
import type { SiteRuntime } from '../runtime.ts';
import { COOKIE, nextSeen, PAYMENT_METHODS, readCookie, snoozeValue, variantFor, type AppealHolder } from './appeal.ts';
import { field, noStore, setCookie } from './http.ts';
import { registerManageRoutes } from './manage-routes.ts';
import { assertSameOrigin } from './origin.ts';
import * as pages from './pages.ts';
import { registerProviderRoutes } from './provider-routes.ts';
import { sendThrottled } from './throttled.ts';

const YEAR_SECONDS = 365 * 86_400;
const SNOOZE_SECONDS = 30 * 86_400;
const PIXEL = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';
const GIVE_JS = fs.readFileSync(new URL('../../../public/support/give.js', import.meta.url));
const ICONS = new Map(
  PAYMENT_METHODS.map((m) => [
    m.file,
    fs.readFileSync(new URL(`../../../public/support/${m.file}.svg`, import.meta.url)),
  ]),
);

/** Public support pages: the support page, checkout, thank-you, "Remind me later", icons and the appeal counter. */
export function registerSupportRoutes(app: FastifyInstance, site: SiteRuntime, holder: AppealHolder): void {
  const deps = app.masthead.support;
  const testMode = deps.provider.testMode;

  const chosenCurrency = (raw: unknown): support.Currency => {
    const s = holder.current;
    return support.isCurrency(raw) && s.currencies.includes(raw) ? raw : (s.currencies[0] ?? 'USD');
  };

  app.get('/support', (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const currency = chosenCurrency(query.currency);
    const cancelled = query.cancelled === '1';
    return site.serve(request, reply, `support:${currency}:${cancelled ? 'c' : ''}`, async (ctx) => ({
      body: pages.supportPage(
        ctx,
        holder.current,
        { currency, ...(cancelled ? { message: 'Your payment was cancelled; nothing was charged.' } : {}) },
        testMode,
      ),
      lastModified: null,
    }));
  });

  for (const m of PAYMENT_METHODS) {
    app.get(`/support/icons/${m.file}.svg`, (_request, reply) =>
      reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(ICONS.get(m.file)),
    );
  }

  app.get('/support/give.js', (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/javascript; charset=utf-8').send(GIVE_JS),
  );

  // The appeal's lazy 1-pixel image counts appeals actually scrolled to, in the browser's
  // own cookie: a count, a date and the last article's id, nothing about the reader.
  // Nothing is recorded on our side.
  // Each article's appeal counts once, so returning to it after a failed checkout does not.
  app.get<{ Querystring: { a?: string } }>('/support/seen.svg', (request, reply) => {
    const now = app.masthead.clock.now();
    const value = readCookie(request.headers.cookie);
    const limit = holder.current.appealsPer30Days;
    const article = parseId(request.query.a);
    if (
      article !== null &&
      limit > 0 &&
      value !== 'given' &&
      !value?.startsWith('snooze.') &&
      variantFor(value, now, limit) === ''
    ) {
      const next = nextSeen(value, now, article);
      if (next) setCookie(request, reply, COOKIE, next, { maxAgeSeconds: SNOOZE_SECONDS });
    }
    return reply.header('cache-control', 'no-store').type('image/svg+xml').send(PIXEL);
  });

  app.get<{ Querystring: { a?: string } }>('/support/thanks', async (request, reply) => {
    const attempt =
      typeof request.query.a === 'string' ? await support.findCheckoutAttempt(deps, request.query.a) : null;
    // No more asks in this browser after giving.
    setCookie(request, reply, COOKIE, 'given', { maxAgeSeconds: YEAR_SECONDS });
    return noStore(reply).send(pages.thanksPage(await site.context(), attempt, testMode));
  });

  app.get('/support/remind', async (_request, reply) =>
    noStore(reply).send(
      pages.remindPage(await site.context(), support.reminderMonths(app.masthead.clock.now()), {}, testMode),
    ),
  );

  app.get<{ Querystring: { e?: string } }>('/support/remind/done', async (request, reply) =>
    noStore(reply).send(pages.remindDonePage(await site.context(), request.query.e === '1', testMode)),
  );

  void app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 8192 });

    scope.post('/support/checkout', async (request, reply) => {
      assertSameOrigin(request);
      const body = request.body;
      const frequency = field(body, 'frequency');
      const form = {
        frequency,
        currency: field(body, 'currency'),
        amount: support.isFrequency(frequency) ? field(body, `amount_${frequency}`) : undefined,
        otherAmount: field(body, 'other_amount'),
      };
      try {
        const { url } = await support.startCheckout(deps, form, request.ip);
        return reply.header('cache-control', 'no-store').redirect(url, 303);
      } catch (err) {
        if (err instanceof ValidationError) return rerender(request, reply, form, err);
        if (err instanceof support.ThrottledError) return sendThrottled(site, reply, err, testMode);
        if (isAppError(err)) throw err;
        request.log.error({ err }, 'checkout could not be created');
        return noStore(reply)
          .code(502)
          .send(pages.providerErrorPage(await site.context(), testMode));
      }
    });

    scope.post('/support/remind/snooze', async (request, reply) => {
      assertSameOrigin(request);
      setCookie(request, reply, COOKIE, snoozeValue(app.masthead.clock.now()), { maxAgeSeconds: SNOOZE_SECONDS });
      return reply.header('cache-control', 'no-store').redirect('/support/remind/done', 303);
    });

    scope.post('/support/remind', async (request, reply) => {
      assertSameOrigin(request);
      const form = { email: field(request.body, 'email'), month: field(request.body, 'month') };
      try {
        await support.addReminder(deps, form, request.ip);
      } catch (err) {
        if (err instanceof ValidationError) {
          const email = typeof form.email === 'string' ? form.email.slice(0, 254) : '';
          const month = typeof form.month === 'string' ? form.month.slice(0, 7) : '';
          return noStore(reply)
            .code(400)
            .send(
              pages.remindPage(
                await site.context(),
                support.reminderMonths(app.masthead.clock.now()),
                { email, month, errors: err.fields },
                testMode,
              ),
            );
        }
        return sendThrottled(site, reply, err, testMode);
      }
      setCookie(request, reply, COOKIE, snoozeValue(app.masthead.clock.now()), { maxAgeSeconds: SNOOZE_SECONDS });
      return reply.header('cache-control', 'no-store').redirect('/support/remind/done?e=1', 303);
    });

    registerManageRoutes(scope, site);
  });

  registerProviderRoutes(app, site);

  async function rerender(
    _request: FastifyRequest,
    reply: FastifyReply,
    form: { frequency: unknown; currency: unknown; amount: unknown; otherAmount: unknown },
    err: ValidationError,
  ) {
    const frequency = support.isFrequency(form.frequency) ? form.frequency : undefined;
    const errors = Object.keys(err.fields).length ? err.fields : { form: err.message };
    const body = pages.supportPage(
      await site.context(),
      holder.current,
      {
        currency: chosenCurrency(form.currency),
        errors,
        ...(frequency ? { frequency } : {}),
        ...(typeof form.amount === 'string' ? { amount: form.amount.slice(0, 12) } : {}),
        ...(typeof form.otherAmount === 'string' ? { other: form.otherAmount.slice(0, 12) } : {}),
      },
      testMode,
    );
    return noStore(reply).code(400).send(body);
  }
}
