import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '#lib/errors.ts';
import * as newsletter from '#newsletter';
import type { SiteRuntime } from '../runtime.ts';
import { registerArchiveRoutes } from './archive.ts';
import { ownHost, sameOriginGuard } from '../origin.ts';
import { HONEYPOT_FIELD } from './block.ts';
import * as pages from './pages.ts';

type Body = Record<string, unknown> | string | undefined;

// The one field of an RFC 8058 POST sent as multipart/form-data.
const ONE_CLICK_MULTIPART =
  /content-disposition:\s*form-data;\s*name="?List-Unsubscribe"?\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/i;
interface TokenParams {
  token: string;
}

// Same-origin check for the public newsletter forms (why: src/site/origin.ts).
const assertSameOrigin = sameOriginGuard('NEWSLETTER_FOREIGN_ORIGIN');

/** The same-origin page the form was on, from the Referer (our Referrer-Policy is same-origin). */
function sourcePath(request: FastifyRequest): string | null {
  const ref = request.headers.referer;
  if (!ref) return null;
  try {
    const u = new URL(ref);
    return u.host === ownHost(request) ? u.pathname : null;
  } catch {
    return null;
  }
}

function field(body: Body, name: string): unknown {
  return body && typeof body === 'object' ? body[name] : undefined;
}

// same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with the page's
// own form posts (Fetch spec), which assertSameOrigin must refuse, so nobody could confirm or
// unsubscribe from these pages. The token in the address still never leaves our origin.
function noStore(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'same-origin')
    .type('text/html; charset=utf-8');
}

/** Public newsletter pages: signup, confirmation, self-service and RFC 8058 one-click unsubscribe. */
export function registerNewsletterRoutes(app: FastifyInstance, site: SiteRuntime): void {
  const deps = app.masthead.newsletter;
  const staticPage = (path: string, key: string, render: typeof pages.checkEmailPage) =>
    app.get(path, (request, reply) =>
      site.serve(request, reply, key, async (ctx) => ({ body: render(ctx), lastModified: null })),
    );

  staticPage('/newsletter', 'newsletter', (ctx) => pages.newsletterPage(ctx));
  staticPage('/newsletter/check-your-email', 'newsletter:check', pages.checkEmailPage);
  staticPage('/newsletter/confirmed', 'newsletter:confirmed', pages.confirmedPage);
  staticPage('/newsletter/erased', 'newsletter:erased', pages.erasedPage);

  registerArchiveRoutes(app, site);

  // Pages behind a token are never cached: the token is a key to someone's subscription.
  app.get<{ Params: TokenParams }>('/newsletter/confirm/:token', async (request, reply) => {
    const ctx = await site.context();
    if (!(await newsletter.isConfirmationValid(deps, request.params.token))) {
      return noStore(reply)
        .code(400)
        .send(
          pages.linkProblemPage(
            ctx,
            'This confirmation link has expired or was already used. Sign up again to get a new one.',
          ),
        );
    }
    return noStore(reply).send(pages.confirmPage(ctx, request.params.token));
  });

  app.get<{ Params: TokenParams }>('/newsletter/manage/:token', async (request, reply) => {
    const s = await newsletter.getSubscriberByToken(deps, request.params.token);
    return noStore(reply).send(pages.managePage(await site.context(), s, request.params.token));
  });

  app.get<{ Params: TokenParams }>('/newsletter/manage/:token/data.json', async (request, reply) => {
    const data = await newsletter.exportSubscriberData(deps, request.params.token);
    return reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('content-disposition', 'attachment; filename="newsletter-data.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  // RFC 8058: a GET (link scanners, prefetchers) only shows a button; it never unsubscribes.
  app.get<{ Params: TokenParams }>('/newsletter/unsubscribe/:token', async (request, reply) => {
    await newsletter.getSubscriberByToken(deps, request.params.token);
    return noStore(reply).send(pages.unsubscribeConfirmPage(await site.context(), request.params.token));
  });

  void app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 8192 });
    // RFC 8058 allows the one-click body as multipart/form-data; it is only searched for the key.
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 8192 }, (_request, body, done) =>
      done(null, body),
    );

    scope.post('/newsletter/subscribe', async (request, reply) => {
      assertSameOrigin(request);
      const body = request.body as Body;
      try {
        await newsletter.signUp(deps, {
          email: field(body, 'email'),
          honeypot: field(body, HONEYPOT_FIELD) ?? '',
          ip: request.ip,
          source: sourcePath(request),
        });
      } catch (err) {
        if (isAppError(err) && err.code === 'NEWSLETTER_EMAIL_INVALID') {
          const raw = field(body, 'email');
          const email = typeof raw === 'string' ? raw.slice(0, newsletter.EMAIL_MAX) : '';
          return noStore(reply)
            .code(400)
            .send(pages.newsletterPage(await site.context(), { email, error: err.message }));
        }
        throw err;
      }
      // The same answer for new, pending, active and suppressed addresses: no enumeration.
      return reply.header('cache-control', 'no-store').redirect('/newsletter/check-your-email', 303);
    });

    scope.post<{ Params: TokenParams }>('/newsletter/confirm/:token', async (request, reply) => {
      assertSameOrigin(request);
      try {
        await newsletter.confirmSubscription(deps, request.params.token);
      } catch (err) {
        if (isAppError(err) && err.code === 'NEWSLETTER_LINK_INVALID')
          return noStore(reply)
            .code(400)
            .send(pages.linkProblemPage(await site.context(), err.message));
        throw err;
      }
      return reply.header('cache-control', 'no-store').redirect('/newsletter/confirmed', 303);
    });

    scope.post<{ Params: TokenParams }>('/newsletter/manage/:token/unsubscribe', async (request, reply) => {
      assertSameOrigin(request);
      await newsletter.getSubscriberByToken(deps, request.params.token);
      await newsletter.unsubscribeByToken(deps, request.params.token);
      return reply.header('cache-control', 'no-store').redirect(`/newsletter/manage/${request.params.token}`, 303);
    });

    scope.post<{ Params: TokenParams }>('/newsletter/manage/:token/resubscribe', async (request, reply) => {
      assertSameOrigin(request);
      await newsletter.resubscribeByToken(deps, request.params.token);
      return reply.header('cache-control', 'no-store').redirect(`/newsletter/manage/${request.params.token}`, 303);
    });

    scope.post<{ Params: TokenParams }>('/newsletter/manage/:token/erase', async (request, reply) => {
      assertSameOrigin(request);
      await newsletter.eraseSubscriber(deps, request.params.token);
      return reply.header('cache-control', 'no-store').redirect('/newsletter/erased', 303);
    });

    // RFC 8058 one-click: mail providers POST here from their servers, without cookies or
    // Origin; the signed token is the whole authority. Answer at once, never redirect.
    scope.post<{ Params: TokenParams }>('/newsletter/unsubscribe/:token', async (request, reply) => {
      const body = request.body as Body;
      const oneClick =
        typeof body === 'string'
          ? ONE_CLICK_MULTIPART.test(body) || body.trim() === 'List-Unsubscribe=One-Click'
          : field(body, 'List-Unsubscribe') === 'One-Click';
      reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8');
      if (!oneClick) return reply.code(400).send('Expected List-Unsubscribe=One-Click.\n');
      if (!(await newsletter.unsubscribeByToken(deps, request.params.token)))
        return reply.code(404).send('Unknown unsubscribe link.\n');
      return reply.code(200).send('You are unsubscribed.\n');
    });
  });
}
