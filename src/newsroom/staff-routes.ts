import * as accounts from '#accounts';
import { ROLES, type StaffRole } from '#accounts';
import { ValidationError } from '#lib/errors.ts';
import { html } from '#lib/html.ts';
import type { RouteSpec } from './framework.ts';
import { csrfField } from './layout.ts';
import { sendInvitation } from './staff-mail.ts';
import { parsePage, str } from '#http';

export const staffRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/',
    access: 'staff',
    action: 'newsroom.view',
    async handler({ request, session, page }) {
      void request;
      return page(
        'Dashboard',
        html`<h1>Good to see you, ${session?.staff.name ?? ''}</h1>
<ul class="nr-cards">
  <li><a href="/newsroom/articles/new">Write a new article</a></li>
  <li><a href="/newsroom/articles?status=submitted">Articles waiting for review</a></li>
  <li><a href="/newsroom/articles">All articles</a></li>
  <li><a href="/" rel="noopener">View the site</a></li>
</ul>`,
      );
    },
  },
  {
    method: 'GET',
    url: '/staff',
    access: 'staff',
    action: 'staff.manage',
    async handler({ request, session, page, csrf }) {
      const staff = await accounts.listStaff(request.server.masthead.accounts);
      const token = csrf();
      return page(
        'Staff',
        html`<h1>Staff</h1>
<table class="nr-table"><thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">2FA</th><th scope="col">Actions</th></tr></thead><tbody>
${staff.map(
  (
    s,
  ) => html`<tr><td>${s.name}</td><td>${s.email}</td><td>${s.role}${s.active ? '' : ' (deactivated)'}</td><td>${s.totpEnabled ? 'on' : 'off'}</td><td>
  ${
    session && s.id !== session.staff.id && s.active && accounts.canAssignRole(session.staff.role, s.role)
      ? html`<form method="post" action="/newsroom/staff/${s.id}/role" class="nr-inline">${csrfField(token)}<label class="visually-hidden" for="role-${s.id}">Role for ${s.name}</label><select id="role-${s.id}" name="role">${ROLES.filter((r) => accounts.canAssignRole(session.staff.role, r)).map((r) => html`<option value="${r}"${r === s.role ? html` selected` : ''}>${r}</option>`)}</select><button type="submit">Change role</button></form>
  <form method="post" action="/newsroom/staff/${s.id}/revoke-sessions" class="nr-inline">${csrfField(token)}<button type="submit">Sign out all devices</button></form>
  ${s.totpEnabled ? html`<form method="post" action="/newsroom/staff/${s.id}/reset-two-factor" class="nr-inline">${csrfField(token)}<button type="submit">Reset two-factor</button></form>` : ''}
  <form method="post" action="/newsroom/staff/${s.id}/deactivate" class="nr-inline">${csrfField(token)}<button type="submit">Deactivate</button></form>`
      : ''
  }
  </td></tr>`,
)}</tbody></table>
<h2>Invite someone</h2>
<form method="post" action="/newsroom/staff/invite" class="nr-form">
  ${csrfField(token)}
  <label for="invite-email">Email</label>
  <input id="invite-email" name="email" type="email" required maxlength="254">
  <label for="invite-role">Role</label>
  <select id="invite-role" name="role">${ROLES.filter((r) => session && accounts.canAssignRole(session.staff.role, r)).map((r) => html`<option value="${r}"${r === 'author' ? html` selected` : ''}>${r}</option>`)}</select>
  <button type="submit">Send invitation</button>
</form>`,
        { flash: str(request.query, 'invited') === '1' ? 'Invitation sent.' : null },
      );
    },
  },
  {
    method: 'POST',
    url: '/staff/invite',
    access: 'staff',
    action: 'staff.manage',
    async handler({ request, reply, session }) {
      const role = ROLES.find((r) => r === str(request.body, 'role'));
      if (!role || !session) throw new ValidationError('NEWSROOM_BAD_ROLE', 'Choose one of the roles.');
      const invite = await accounts.inviteStaff(request.server.masthead.accounts, session.staff, {
        email: str(request.body, 'email'),
        role,
      });
      await sendInvitation(request.server, invite.email, invite.token, role, session.staff.name);
      return reply.redirect('/newsroom/staff?invited=1', 303);
    },
  },
  {
    method: 'POST',
    url: '/staff/:id/role',
    access: 'staff',
    action: 'staff.manage',
    object: 'staff',
    async handler({ request, reply, session, objectId }) {
      const role = ROLES.find((r) => r === str(request.body, 'role')) as StaffRole | undefined;
      if (!role || !session) throw new ValidationError('NEWSROOM_BAD_ROLE', 'Choose one of the roles.');
      await accounts.changeRole(request.server.masthead.accounts, session.staff, objectId ?? 0, role);
      return reply.redirect('/newsroom/staff', 303);
    },
  },
  {
    method: 'POST',
    url: '/staff/:id/deactivate',
    access: 'staff',
    action: 'staff.manage',
    object: 'staff',
    async handler({ request, reply, session, objectId }) {
      if (!session) throw new Error('unreachable');
      await accounts.deactivateStaff(request.server.masthead.accounts, session.staff, objectId ?? 0);
      return reply.redirect('/newsroom/staff', 303);
    },
  },
  {
    method: 'POST',
    url: '/staff/:id/revoke-sessions',
    access: 'staff',
    action: 'staff.manage',
    object: 'staff',
    async handler({ request, reply, session, objectId }) {
      if (!session) throw new Error('unreachable');
      await accounts.revokeSessions(request.server.masthead.accounts, session.staff, objectId ?? 0);
      return reply.redirect('/newsroom/staff', 303);
    },
  },
  {
    method: 'POST',
    url: '/staff/:id/reset-two-factor',
    access: 'staff',
    action: 'staff.manage',
    object: 'staff',
    async handler({ request, reply, session, objectId }) {
      if (!session) throw new Error('unreachable');
      await accounts.resetSecondFactor(request.server.masthead.accounts, session.staff, objectId ?? 0);
      return reply.redirect('/newsroom/staff', 303);
    },
  },
  {
    method: 'GET',
    url: '/audit',
    access: 'staff',
    action: 'audit.view',
    async handler({ request, page }) {
      const pageNo = parsePage((request.query as Record<string, unknown> | undefined)?.page);
      const log = await accounts.listAuditLog(request.server.masthead.accounts, pageNo);
      return page(
        'Audit log',
        html`<h1>Audit log</h1>
<table class="nr-table"><thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Target</th></tr></thead><tbody>
${log.items.map((e) => html`<tr><td><time datetime="${e.at}">${e.at.replace('T', ' ').slice(0, 19)}</time></td><td>${e.actor_label}</td><td>${e.action}</td><td>${e.target_type ? `${e.target_type} ${e.target_id ?? ''}` : ''}</td></tr>`)}
</tbody></table>
<p>Page ${log.page} of ${log.pageCount}${log.page < log.pageCount ? html` · <a href="/newsroom/audit?page=${log.page + 1}">Older</a>` : ''}</p>`,
      );
    },
  },
];
