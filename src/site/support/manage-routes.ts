import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, ValidationError } from '#lib/errors.ts';
import * as support from '#support';
import type { SiteRuntime } from '../runtime.ts';
import { field, noStore, readCookieValue, setCookie } from './http.ts';
import { assertSameOrigin } from './origin.ts';
import * as pages from './pages.ts';
import { sendThrottled } from './throttled.ts';

const SESSION_COOKIE = 'mh_manage';
const SESSION_PATH = '/support/manage';

const MESSAGES: Record<string, string> = {
  changed: 'Your support was changed. A confirmation is on its way by email.',
  cancelled: 'Your support is cancelled. A confirmation is on its way by email.',
  statement: 'Your statement is on its way by email.',
};

interface PlanParams {
  id: string;
}

/**
 * Self-service without passwords: ask for a link, open it once (a button, so mail scanners
 * cannot use it up), then a 30-minute session in a SameSite=Strict cookie scoped to
 * /support/manage for changing, cancelling, the card, statements and erasure.
 */
export function registerManageRoutes(scope: FastifyInstance, site: SiteRuntime): void {
  const deps = scope.masthead.support;
  const testMode = deps.provider.testMode;
  const session = (request: FastifyRequest) => readCookieValue(request, SESSION_COOKIE);
  const ctx = () => site.context();

  scope.get('/support/manage', async (_request, reply) =>
    noStore(reply).send(pages.manageRequestPage(await ctx(), {}, testMode)),
  );
  scope.get('/support/manage/sent', async (_request, reply) =>
    noStore(reply).send(pages.manageRequestPage(await ctx(), { sent: true }, testMode)),
  );

  scope.post('/support/manage', async (request, reply) => {
    assertSameOrigin(request);
    const email = field(request.body, 'email');
    try {
      await support.requestManageLink(deps, email, request.ip);
    } catch (err) {
      if (err instanceof ValidationError) {
        return noStore(reply)
          .code(400)
          .send(
            pages.manageRequestPage(
              await ctx(),
              { email: typeof email === 'string' ? email.slice(0, 254) : '', error: err.message },
              testMode,
            ),
          );
      }
      return sendThrottled(site, reply, err, testMode);
    }
    // The same answer whether or not the address gives: nobody learns who supports us.
    return reply.header('cache-control', 'no-store').redirect('/support/manage/sent', 303);
  });

  scope.get<{ Querystring: { done?: string } }>('/support/manage/account', async (request, reply) => {
    try {
      const view = await support.getManageView(deps, session(request));
      const message = typeof request.query.done === 'string' ? MESSAGES[request.query.done] : undefined;
      return noStore(reply).send(
        pages.managePage(await ctx(), view, {
          testMode,
          year: deps.clock.now().getUTCFullYear(),
          ...(message ? { message } : {}),
        }),
      );
    } catch (err) {
      return sessionProblem(reply, err);
    }
  });

  scope.get<{ Params: { token: string } }>('/support/manage/:token', async (request, reply) => {
    if (!(await support.isManageLinkValid(deps, request.params.token))) {
      return noStore(reply)
        .code(400)
        .send(
          pages.linkProblemPage(await ctx(), 'This link has expired or was already used. Ask for a new one.', testMode),
        );
    }
    return noStore(reply).send(pages.manageLinkPage(await ctx(), request.params.token, testMode));
  });

  scope.post<{ Params: { token: string } }>('/support/manage/:token', async (request, reply) => {
    assertSameOrigin(request);
    let token: string;
    try {
      token = await support.openManageSession(deps, request.params.token);
    } catch (err) {
      if (isAppError(err) && err.code === 'SUPPORT_LINK_INVALID')
        return noStore(reply)
          .code(400)
          .send(pages.linkProblemPage(await ctx(), err.message, testMode));
      throw err;
    }
    setCookie(request, reply, SESSION_COOKIE, token, {
      maxAgeSeconds: support.SESSION_TTL_MS / 1000,
      path: SESSION_PATH,
      sameSite: 'Strict',
    });
    return reply.header('cache-control', 'no-store').redirect('/support/manage/account', 303);
  });

  const planAction = (
    path: string,
    act: (request: FastifyRequest<{ Params: PlanParams }>, id: number) => Promise<string>,
  ) =>
    scope.post<{ Params: PlanParams }>(`/support/manage/plan/:id/${path}`, async (request, reply) => {
      assertSameOrigin(request);
      const id = /^[1-9][0-9]{0,14}$/.test(request.params.id) ? Number(request.params.id) : 0;
      try {
        return reply.header('cache-control', 'no-store').redirect(await act(request, id), 303);
      } catch (err) {
        return sessionProblem(reply, err, request);
      }
    });

  planAction('change', async (request, id) => {
    await support.changePlan(deps, session(request), id, {
      frequency: field(request.body, 'frequency'),
      amount: field(request.body, 'amount'),
    });
    return '/support/manage/account?done=changed';
  });
  planAction('cancel', async (request, id) => {
    await support.cancelPlan(deps, session(request), id);
    return '/support/manage/account?done=cancelled';
  });
  planAction('payment-method', async (request, id) => {
    const back = `${(await ctx()).settings.baseUrl}/support/manage/account`;
    return support.paymentMethodUrl(deps, session(request), id, back);
  });

  scope.post('/support/manage/statement', async (request, reply) => {
    assertSameOrigin(request);
    try {
      await support.sendStatement(deps, session(request), Number(field(request.body, 'year')));
    } catch (err) {
      return sessionProblem(reply, err, request);
    }
    return reply.header('cache-control', 'no-store').redirect('/support/manage/account?done=statement', 303);
  });

  scope.post('/support/manage/erase', async (request, reply) => {
    assertSameOrigin(request);
    try {
      await support.eraseSupport(deps, session(request));
    } catch (err) {
      return sessionProblem(reply, err, request);
    }
    await support.closeManageSession(deps, session(request));
    setCookie(request, reply, SESSION_COOKIE, '', { maxAgeSeconds: 0, path: SESSION_PATH, sameSite: 'Strict' });
    return noStore(reply).send(pages.erasedPage(await ctx(), testMode));
  });

  scope.post('/support/manage/sign-out', async (request, reply) => {
    assertSameOrigin(request);
    await support.closeManageSession(deps, session(request));
    setCookie(request, reply, SESSION_COOKIE, '', { maxAgeSeconds: 0, path: SESSION_PATH, sameSite: 'Strict' });
    return reply.header('cache-control', 'no-store').redirect('/support/manage', 303);
  });

  /** A lapsed session gets the "ask for a new link" page; a bad form re-renders the account page with the message. */
  async function sessionProblem(reply: FastifyReply, err: unknown, request?: FastifyRequest): Promise<FastifyReply> {
    if (isAppError(err) && err.code === 'SUPPORT_SESSION_INVALID')
      return noStore(reply)
        .code(401)
        .send(pages.linkProblemPage(await ctx(), err.message, testMode));
    if (request && isAppError(err) && err.status < 500) {
      const view = await support.getManageView(deps, session(request));
      return noStore(reply)
        .code(err.status)
        .send(
          pages.managePage(await ctx(), view, {
            testMode,
            year: deps.clock.now().getUTCFullYear(),
            error: err.message,
          }),
        );
    }
    throw err;
  }
}
