import * as accounts from '#accounts';
import { isAppError, ValidationError } from '#lib/errors.ts';
import { html, unsafeRaw } from '#lib/html.ts';
import type { RouteContext, RouteSpec } from './framework.ts';
import { setSessionCookie } from './framework.ts';
import { csrfField } from './layout.ts';
import { str } from '#http';

function confirmPasswordForm(csrf: string, then: string, message?: string) {
  return html`<h1>Confirm your password</h1>
<p>For your safety, enter your password again before changing sign-in settings.</p>
${message ? html`<p class="nr-error" role="alert">${message}</p>` : ''}
<form method="post" action="/newsroom/account/confirm-password" class="nr-form">
  ${csrfField(csrf)}
  <input type="hidden" name="then" value="${then}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
  <button type="submit">Confirm</button>
</form>`;
}

async function enrolmentPage(ctx: RouteContext, message?: string) {
  const { request, session, page, csrf } = ctx;
  if (!session) throw new Error('unreachable');
  const deps = request.server.masthead.accounts;
  if (!accounts.recentlyReauthenticated(deps, session))
    return page('Confirm your password', confirmPasswordForm(csrf(), '/newsroom/account/two-factor'));
  const { secret, uri } = await accounts.startTotpEnrolment(deps, session);
  const required = accounts.requiresTwoFactor(session.staff.role);
  return page(
    'Two-factor sign-in',
    html`<h1>Set up two-factor sign-in</h1>
${required ? html`<p>Your role (${session.staff.role}) must sign in with a second factor. This protects the newsroom if your password is ever stolen.</p>` : ''}
${message ? html`<p class="nr-error" role="alert">${message}</p>` : ''}
<ol class="nr-steps">
  <li>Open an authenticator app (for example Aegis, Raivo, or your password manager) and scan this code:
    <div class="nr-qr">${unsafeRaw(accounts.totpQrSvg(uri))}</div>
    <p>Or type this key: <code class="nr-secret">${secret.replace(/(.{4})/g, '$1 ').trim()}</code></p></li>
  <li>Enter the 6-digit code the app shows.</li>
</ol>
<form method="post" action="/newsroom/account/two-factor" class="nr-form">
  ${csrfField(csrf())}
  <label for="code">Code from the app</label>
  <input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" required maxlength="12">
  <button type="submit">Turn on two-factor sign-in</button>
</form>`,
  );
}

export const accountRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/account',
    access: 'staff',
    action: 'newsroom.view',
    async handler({ session, page, csrf }) {
      if (!session) throw new Error('unreachable');
      return page(
        'Your account',
        html`<h1>Your account</h1>
<dl class="nr-facts"><dt>Name</dt><dd>${session.staff.name}</dd><dt>Email</dt><dd>${session.staff.email}</dd><dt>Role</dt><dd>${session.staff.role}</dd>
<dt>Two-factor sign-in</dt><dd>${session.staff.totpEnabled ? 'On' : html`Off — <a href="/newsroom/account/two-factor">turn it on</a>`}</dd></dl>
<h2>Change password</h2>
<form method="post" action="/newsroom/account/password" class="nr-form">
  ${csrfField(csrf())}
  <label for="current">Current password</label>
  <input id="current" name="current" type="password" autocomplete="current-password" required maxlength="1024">
  <label for="password">New password (12 characters or more; a passphrase is best)</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="1024">
  <button type="submit">Change password</button>
</form>
<h2>Change email</h2>
<form method="post" action="/newsroom/account/email" class="nr-form">
  ${csrfField(csrf())}
  <label for="email-current">Current password</label>
  <input id="email-current" name="current" type="password" autocomplete="current-password" required maxlength="1024">
  <label for="new-email">New email</label>
  <input id="new-email" name="email" type="email" autocomplete="email" required maxlength="254">
  <button type="submit">Change email</button>
</form>
<h2>Sessions</h2>
<form method="post" action="/newsroom/sign-out-everywhere" class="nr-form">
  ${csrfField(csrf())}
  <p>Lost a device? Sign out everywhere, this browser included.</p>
  <button type="submit">Sign out everywhere</button>
</form>`,
      );
    },
  },
  {
    method: 'POST',
    url: '/account/confirm-password',
    access: 'first-factor',
    async handler({ request, reply, session, page, csrf }) {
      if (!session) throw new Error('unreachable');
      const then =
        str(request.body, 'then') === '/newsroom/account/two-factor'
          ? '/newsroom/account/two-factor'
          : '/newsroom/account';
      try {
        await accounts.reauthenticate(request.server.masthead.accounts, session, str(request.body, 'password'));
      } catch (err) {
        if (isAppError(err) && err.status === 401)
          return page('Confirm your password', confirmPasswordForm(csrf(), then, err.message), { status: 401 });
        throw err;
      }
      return reply.redirect(then, 303);
    },
  },
  {
    method: 'GET',
    url: '/account/two-factor',
    access: 'first-factor',
    async handler(ctx) {
      if (!ctx.session) throw new Error('unreachable');
      if (!ctx.session.secondFactorDone) return ctx.reply.redirect('/newsroom/sign-in/code', 303);
      if (ctx.session.staff.totpEnabled) {
        return ctx.page(
          'Two-factor sign-in',
          html`<h1>Two-factor sign-in is on</h1><p>You sign in with a code from your authenticator app. Keep your recovery codes somewhere safe.</p><p><a href="/newsroom">Back to the newsroom</a></p>`,
        );
      }
      return enrolmentPage(ctx);
    },
  },
  {
    method: 'POST',
    url: '/account/two-factor',
    access: 'first-factor',
    async handler(ctx) {
      const { request, session, page } = ctx;
      if (!session || !session.secondFactorDone) throw new Error('unreachable');
      let codes: string[];
      try {
        codes = await accounts.confirmTotpEnrolment(
          request.server.masthead.accounts,
          session,
          str(request.body, 'code'),
        );
      } catch (err) {
        if (err instanceof ValidationError)
          return page(
            'Two-factor sign-in',
            html`<h1>That code did not work</h1><p class="nr-error" role="alert">${err.fields.code ?? err.message}</p><p><a href="/newsroom/account/two-factor">Try again</a></p>`,
            { status: 400 },
          );
        throw err;
      }
      return page(
        'Recovery codes',
        html`<h1>Two-factor sign-in is on</h1>
<p>Save these recovery codes somewhere safe (a password manager or on paper). Each works once if you lose your phone. They will not be shown again.</p>
<ul class="nr-codes">${codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
<p><a href="/newsroom">Continue to the newsroom</a></p>`,
      );
    },
  },
  {
    method: 'POST',
    url: '/account/email',
    access: 'staff',
    action: 'newsroom.view',
    async handler({ request, session, page }) {
      if (!session) throw new Error('unreachable');
      const m = request.server.masthead;
      let changed: { previous: string; email: string };
      try {
        await accounts.reauthenticate(m.accounts, session, str(request.body, 'current'));
        changed = await accounts.changeEmail(
          m.accounts,
          { ...session, reauthenticatedAt: m.clock.now().toISOString() },
          str(request.body, 'email'),
        );
      } catch (err) {
        if (isAppError(err) && err.status < 500)
          return page(
            'Your account',
            html`<h1>Email not changed</h1><p class="nr-error" role="alert">${err instanceof ValidationError ? (err.fields.email ?? err.message) : err.message}</p><p><a href="/newsroom/account">Back</a></p>`,
            { status: err.status },
          );
        throw err;
      }
      // The old address hears about it: if this was not them, they know at once.
      await m.mail.mailer.send({
        to: changed.previous,
        subject: 'Your newsroom sign-in email was changed',
        text: `The email address you use to sign in to the newsroom was changed to ${changed.email}.\n\nIf you did not do this, tell an administrator now: they can sign the account out everywhere.\n`,
        category: 'staff.email_changed',
      });
      return page(
        'Your account',
        html`<h1>Email changed</h1><p>You now sign in with ${changed.email}. We told your old address.</p><p><a href="/newsroom/account">Back</a></p>`,
      );
    },
  },
  {
    method: 'POST',
    url: '/account/password',
    access: 'staff',
    action: 'newsroom.view',
    async handler({ request, reply, session, page }) {
      if (!session) throw new Error('unreachable');
      const deps = request.server.masthead.accounts;
      try {
        await accounts.reauthenticate(deps, session, str(request.body, 'current'));
        const fresh = { ...session, reauthenticatedAt: new Date(request.server.masthead.clock.now()).toISOString() };
        await accounts.changePassword(deps, fresh, str(request.body, 'password'));
      } catch (err) {
        if (isAppError(err) && err.status < 500)
          return page(
            'Your account',
            html`<h1>Password not changed</h1><p class="nr-error" role="alert">${err instanceof ValidationError ? (err.fields.password ?? err.message) : err.message}</p><p><a href="/newsroom/account">Back</a></p>`,
            { status: err.status },
          );
        throw err;
      }
      setSessionCookie(
        request,
        reply,
        request.cookies[request.protocol === 'https' ? '__Host-masthead_session' : 'masthead_session'] ?? '',
      );
      return page(
        'Your account',
        html`<h1>Password changed</h1><p>Your other sessions have been signed out.</p><p><a href="/newsroom">Back to the newsroom</a></p>`,
      );
    },
  },
];
