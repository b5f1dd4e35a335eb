import type { FastifyRequest } from 'fastify';
import * as accounts from '#accounts';
import { isAppError, ValidationError } from '#lib/errors.ts';
import { html } from '#lib/html.ts';
import type { RouteSpec } from './framework.ts';
import { clearSessionCookie, setSessionCookie } from './framework.ts';
import { csrfField, fieldError, invalid } from './layout.ts';
import { sendPasswordReset } from './staff-mail.ts';
import { str } from '#http';

type Body = Record<string, unknown>;

/** Only our own newsroom paths are followed after sign-in (no open redirect). */
function safeNext(raw: unknown): string {
  return typeof raw === 'string' && /^\/newsroom(\/[A-Za-z0-9/_?=&%.-]*)?$/.test(raw) && !raw.startsWith('//')
    ? raw
    : '/newsroom';
}

function clientIp(request: FastifyRequest): string {
  return request.ip || 'unknown';
}

const setupForm = (
  csrf: string,
  v: { email?: string; name?: string },
  errors?: Record<string, string>,
  message?: string,
) => html`
<h1>Set up your newsroom</h1>
<p>Create the owner's account. The owner manages staff and settings and can see supporters' data. Use a long passphrase: at least 12 characters, no rules about symbols.</p>
${message ? html`<p class="nr-error" role="alert">${message}</p>` : ''}
<form method="post" action="/newsroom/setup" class="nr-form">
  ${csrfField(csrf)}
  <label for="name">Your name</label>
  <input id="name" name="name" autocomplete="name" required maxlength="120" value="${v.name ?? ''}"${invalid(errors, 'name')}>
  ${fieldError(errors, 'name')}
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="email" required value="${v.email ?? ''}"${invalid(errors, 'email')}>
  ${fieldError(errors, 'email')}
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="1024"${invalid(errors, 'password')}>
  ${fieldError(errors, 'password')}
  <button type="submit">Create owner account</button>
</form>`;

const signInForm = (csrf: string, next: string, email: string, message?: string) => html`
<h1>Sign in</h1>
${message ? html`<p class="nr-error" role="alert">${message}</p>` : ''}
<form method="post" action="/newsroom/sign-in" class="nr-form">
  ${csrfField(csrf)}
  <input type="hidden" name="next" value="${next}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${email}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
  <button type="submit">Sign in</button>
</form>
<p><a href="/newsroom/reset">Forgot your password?</a></p>`;

const codeForm = (csrf: string, message?: string) => html`
<h1>Two-factor sign-in</h1>
<p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
${message ? html`<p class="nr-error" role="alert">${message}</p>` : ''}
<form method="post" action="/newsroom/sign-in/code" class="nr-form">
  ${csrfField(csrf)}
  <label for="code">Code</label>
  <input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" required maxlength="32">
  <button type="submit">Continue</button>
</form>`;

const acceptForm = (
  csrf: string,
  token: string,
  invite: { email: string; role: string },
  errors?: Record<string, string>,
  name = '',
) => html`
<h1>Join the newsroom</h1>
<p>You are invited as <strong>${invite.role}</strong> with the address ${invite.email}.</p>
<form method="post" action="/newsroom/invite/${token}" class="nr-form">
  ${csrfField(csrf)}
  <label for="name">Your name</label>
  <input id="name" name="name" autocomplete="name" required maxlength="120" value="${name}"${invalid(errors, 'name')}>
  ${fieldError(errors, 'name')}
  <label for="password">Choose a password (12 characters or more; a few unrelated words work well)</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="1024"${invalid(errors, 'password')}>
  ${fieldError(errors, 'password')}
  <button type="submit">Create my account</button>
</form>`;

const LINK_GONE = html`<h1>This link does not work any more</h1><p>Invitation and reset links work once and expire. Ask an administrator for a new invitation, or <a href="/newsroom/reset">ask for a new reset link</a>.</p>`;

function tokenParam(params: unknown): string {
  const t = (params as Record<string, string | undefined>).token;
  return typeof t === 'string' ? t : '';
}

const resetRequestForm = (csrf: string, done = false, message?: string) => html`
<h1>Reset your password</h1>
${done ? html`<p role="status">If that address belongs to an active account, we have sent it a link. It works once and expires in 30 minutes.</p>` : ''}
${message ? html`<p class="nr-error" role="alert">${message}</p>` : ''}
<form method="post" action="/newsroom/reset" class="nr-form">
  ${csrfField(csrf)}
  <label for="email">Your email</label>
  <input id="email" name="email" type="email" autocomplete="username" required>
  <button type="submit">Send me a link</button>
</form>`;

const resetForm = (csrf: string, token: string, errors?: Record<string, string>) => html`
<h1>Choose a new password</h1>
<form method="post" action="/newsroom/reset/${token}" class="nr-form">
  ${csrfField(csrf)}
  <label for="password">New password (12 characters or more)</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="1024"${invalid(errors, 'password')}>
  ${fieldError(errors, 'password')}
  <button type="submit">Set password</button>
</form>`;

export const authRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/invite/:token',
    access: 'public',
    async handler({ request, page, csrf }) {
      const token = tokenParam(request.params);
      const invite = await accounts.peekInvitation(request.server.masthead.accounts, token);
      if (!invite) return page('Invitation', LINK_GONE, { status: 410 });
      return page('Join the newsroom', acceptForm(csrf(), token, invite));
    },
  },
  {
    method: 'POST',
    url: '/invite/:token',
    access: 'public',
    async handler({ request, reply, page, csrf }) {
      const deps = request.server.masthead.accounts;
      const token = tokenParam(request.params);
      const invite = await accounts.peekInvitation(deps, token);
      if (!invite) return page('Invitation', LINK_GONE, { status: 410 });
      try {
        await accounts.acceptInvitation(deps, token, {
          name: str(request.body, 'name'),
          password: str(request.body, 'password'),
          ip: clientIp(request),
        });
      } catch (err) {
        if (err instanceof ValidationError)
          return page('Join the newsroom', acceptForm(csrf(), token, invite, err.fields, str(request.body, 'name')), {
            status: 400,
          });
        if (isAppError(err) && err.code === 'ACCOUNTS_LINK_INVALID')
          return page('Invitation', LINK_GONE, { status: 410 });
        throw err;
      }
      const { token: session } = await accounts.signIn(deps, {
        email: invite.email,
        password: str(request.body, 'password'),
        ip: clientIp(request),
      });
      setSessionCookie(request, reply, session);
      return reply.redirect(
        accounts.requiresTwoFactor(invite.role as accounts.StaffRole) ? '/newsroom/account/two-factor' : '/newsroom',
        303,
      );
    },
  },
  {
    method: 'GET',
    url: '/reset',
    access: 'public',
    handler: async ({ page, csrf }) => page('Reset your password', resetRequestForm(csrf())),
  },
  {
    method: 'POST',
    url: '/reset',
    access: 'public',
    async handler({ request, page, csrf }) {
      try {
        const found = await accounts.requestPasswordReset(
          request.server.masthead.accounts,
          str(request.body, 'email'),
          clientIp(request),
        );
        if (found) await sendPasswordReset(request.server, found.staff.email, found.token);
      } catch (err) {
        if (isAppError(err) && err.status === 429)
          return page('Reset your password', resetRequestForm(csrf(), false, err.message), { status: 429 });
        throw err;
      }
      return page('Reset your password', resetRequestForm(csrf(), true));
    },
  },
  {
    method: 'GET',
    url: '/reset/:token',
    access: 'public',
    async handler({ request, page, csrf }) {
      const token = tokenParam(request.params);
      if (!(await accounts.resetLinkIsUsable(request.server.masthead.accounts, token)))
        return page('Reset your password', LINK_GONE, { status: 410 });
      return page('Choose a new password', resetForm(csrf(), token));
    },
  },
  {
    method: 'POST',
    url: '/reset/:token',
    access: 'public',
    async handler({ request, reply, page, csrf }) {
      const token = tokenParam(request.params);
      try {
        await accounts.resetPassword(request.server.masthead.accounts, token, str(request.body, 'password'));
      } catch (err) {
        if (err instanceof ValidationError)
          return page('Choose a new password', resetForm(csrf(), token, err.fields), { status: 400 });
        if (isAppError(err) && err.code === 'ACCOUNTS_LINK_INVALID')
          return page('Reset your password', LINK_GONE, { status: 410 });
        throw err;
      }
      return reply.redirect('/newsroom/sign-in', 303);
    },
  },
  {
    method: 'GET',
    url: '/setup',
    access: 'public',
    async handler({ reply, page, csrf, request }) {
      const deps = request.server.masthead.accounts;
      if (!(await accounts.needsSetup(deps))) return reply.redirect('/newsroom/sign-in', 303);
      return page('Set up', setupForm(csrf(), {}));
    },
  },
  {
    method: 'POST',
    url: '/setup',
    access: 'public',
    async handler({ request, reply, page, csrf }) {
      const deps = request.server.masthead.accounts;
      const b = request.body;
      try {
        await accounts.createOwner(deps, {
          email: str(b, 'email'),
          name: str(b, 'name'),
          password: str(b, 'password'),
        });
      } catch (err) {
        if (err instanceof ValidationError)
          return page(
            'Set up',
            setupForm(csrf(), { email: str(b, 'email'), name: str(b, 'name') }, err.fields, err.message),
            { status: 400 },
          );
        throw err;
      }
      const { token } = await accounts.signIn(deps, {
        email: str(b, 'email'),
        password: str(b, 'password'),
        ip: clientIp(request),
      });
      setSessionCookie(request, reply, token);
      return reply.redirect('/newsroom/account/two-factor', 303);
    },
  },
  {
    method: 'GET',
    url: '/sign-in',
    access: 'public',
    async handler({ request, reply, page, csrf }) {
      const deps = request.server.masthead.accounts;
      if (await accounts.needsSetup(deps)) return reply.redirect('/newsroom/setup', 303);
      return page('Sign in', signInForm(csrf(), safeNext((request.query as Body).next), ''));
    },
  },
  {
    method: 'POST',
    url: '/sign-in',
    access: 'public',
    async handler({ request, reply, page, csrf }) {
      const deps = request.server.masthead.accounts;
      const b = request.body;
      const next = safeNext(str(b, 'next'));
      try {
        const { token, session } = await accounts.signIn(deps, {
          email: str(b, 'email'),
          password: str(b, 'password'),
          ip: clientIp(request),
        });
        setSessionCookie(request, reply, token);
        return reply.redirect(session.secondFactorDone ? next : '/newsroom/sign-in/code', 303);
      } catch (err) {
        if (isAppError(err) && (err.status === 401 || err.status === 429)) {
          return page('Sign in', signInForm(csrf(), next, str(b, 'email'), err.message), { status: err.status });
        }
        throw err;
      }
    },
  },
  {
    method: 'GET',
    url: '/sign-in/code',
    access: 'first-factor',
    async handler({ session, reply, page, csrf }) {
      if (session?.secondFactorDone) return reply.redirect('/newsroom', 303);
      return page('Two-factor sign-in', codeForm(csrf()));
    },
  },
  {
    method: 'POST',
    url: '/sign-in/code',
    access: 'first-factor',
    async handler({ request, reply, session, page, csrf }) {
      if (!session) throw new Error('unreachable: first-factor routes have a session');
      try {
        const { token } = await accounts.completeSecondFactor(
          request.server.masthead.accounts,
          session,
          str(request.body, 'code'),
        );
        setSessionCookie(request, reply, token);
        return reply.redirect('/newsroom', 303);
      } catch (err) {
        if (isAppError(err) && err.status < 500)
          return page('Two-factor sign-in', codeForm(csrf(), err.message), { status: err.status });
        throw err;
      }
    },
  },
  {
    method: 'POST',
    url: '/sign-out',
    access: 'first-factor',
    async handler({ request, reply, session }) {
      if (session) await accounts.signOut(request.server.masthead.accounts, session);
      clearSessionCookie(request, reply);
      return reply.redirect('/newsroom/sign-in', 303);
    },
  },
  {
    method: 'POST',
    url: '/sign-out-everywhere',
    access: 'staff',
    action: 'newsroom.view',
    async handler({ request, reply, session }) {
      if (session) await accounts.signOutEverywhere(request.server.masthead.accounts, session);
      clearSessionCookie(request, reply);
      return reply.redirect('/newsroom/sign-in', 303);
    },
  },
];
