import type { Db } from '#db';
import { toDbTime } from '#db';
import { AppError, ConflictError, ForbiddenError, ValidationError } from '#lib/errors.ts';
import { EMAIL_MAX, normaliseEmail, parseEmail } from '#mail';
import { hashPassword } from './passwords.ts';
import * as q from './queries.ts';
import { canAssignRole, type StaffRole } from './roles.ts';
import { checkSignInThrottle, recordAudit, type AccountsDeps, type StaffMember } from './service.ts';
import { hashToken, isPlausibleToken, newToken } from './sessions.ts';
import { checkPasswordPolicy } from './passwords.ts';

export const INVITE_TTL_MS = 72 * 3_600_000;
export const RESET_TTL_MS = 30 * 60_000;

const LINK_INVALID = () =>
  new AppError(
    400,
    'ACCOUNTS_LINK_INVALID',
    'This link is not valid any more. Links work once and expire; ask for a new one.',
  );

async function findUsableToken(db: Db, token: unknown, purpose: 'invite' | 'reset', now: Date) {
  if (!isPlausibleToken(token)) return undefined;
  const row = await db.kysely
    .selectFrom('staff_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (!row || row.used_at !== null || new Date(row.expires_at).getTime() <= now.getTime()) return undefined;
  return row;
}

/** Invites someone by email to a role; returns the single-use token to put in the link. */
export async function inviteStaff(
  deps: AccountsDeps,
  actor: StaffMember,
  input: { email: string; role: StaffRole },
): Promise<{ token: string; email: string; expiresAt: string }> {
  const email = parseEmail(input.email);
  if (!email)
    throw new ValidationError('ACCOUNTS_INVALID', 'Enter a valid email address.', {
      email: 'Enter a valid email address',
    });
  if (!canAssignRole(actor.role, input.role))
    throw new ForbiddenError('ACCOUNTS_FORBIDDEN', 'You cannot give that role.');
  if (await q.findStaffByEmail(deps.db.kysely, email))
    throw new ConflictError('ACCOUNTS_EMAIL_TAKEN', 'Someone on the staff already uses that email address.');
  const now = deps.clock.now();
  const { token, hash } = newToken();
  const expiresAt = toDbTime(new Date(now.getTime() + INVITE_TTL_MS));
  await deps.db.kysely
    .insertInto('staff_tokens')
    .values({
      token_hash: hash,
      purpose: 'invite',
      email,
      role: input.role,
      staff_id: null,
      created_by: actor.id,
      created_at: toDbTime(now),
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  await recordAudit(deps, actor, 'staff.invited', { type: 'email', id: email }, { role: input.role });
  return { token, email, expiresAt };
}

/** What an invitation link offers, or null if it is used, expired or unknown. */
export async function peekInvitation(
  deps: AccountsDeps,
  token: unknown,
): Promise<{ email: string; role: StaffRole } | null> {
  const row = await findUsableToken(deps.db, token, 'invite', deps.clock.now());
  return row && row.role ? { email: row.email, role: row.role } : null;
}

/** Accepts an invitation: creates the account; the link stops working. */
export async function acceptInvitation(
  deps: AccountsDeps,
  token: unknown,
  input: { name: string; password: string; ip: string },
): Promise<StaffMember> {
  // The caller signs the new account in next; a throttled sign-in after the account was
  // created would leave the invitation used up and the person outside.
  await checkSignInThrottle(deps, input.ip);
  const now = deps.clock.now();
  const invite = await findUsableToken(deps.db, token, 'invite', now);
  if (!invite || !invite.role) throw LINK_INVALID();
  const name = input.name.trim();
  if (!name || name.length > 120)
    throw new ValidationError('ACCOUNTS_INVALID', 'Please correct the marked fields.', {
      name: 'Enter your name (up to 120 characters)',
    });
  const policy = checkPasswordPolicy(input.password, {
    email: invite.email,
    name,
    publication: await deps.publicationName(),
  });
  if (!policy.ok) throw new ValidationError('ACCOUNTS_WEAK_PASSWORD', policy.message, { password: policy.message });
  const passwordHash = await hashPassword(input.password);
  const role = invite.role;
  const id = await deps.db.kysely.transaction().execute(async (trx) => {
    // Single use even when two tabs submit at once: only one update finds it unused.
    const used = await trx
      .updateTable('staff_tokens')
      .set({ used_at: toDbTime(now) })
      .where('id', '=', invite.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw LINK_INVALID();
    return q.insertStaff(trx, { email: invite.email, name, role, passwordHash, now: toDbTime(now) });
  });
  const member: StaffMember = { id, email: invite.email, name, role, active: true, totpEnabled: false, authorId: null };
  await recordAudit(deps, member, 'staff.invitation_accepted', { type: 'staff', id }, { role });
  return member;
}

/**
 * Starts a password reset. Returns the token for an active account, or null — callers give
 * the same answer either way, so the form cannot tell who works here.
 */
export async function requestPasswordReset(
  deps: AccountsDeps,
  rawEmail: string,
  ip: string,
): Promise<{ token: string; staff: StaffMember } | null> {
  const k = deps.db.kysely;
  const now = deps.clock.now();
  const windowStart = toDbTime(new Date(now.getTime() - 15 * 60_000));
  if ((await q.bumpThrottle(k, `reset-ip:${ip}`, toDbTime(now), windowStart)) > 5) {
    throw new AppError(429, 'ACCOUNTS_THROTTLED', 'Too many requests from your network. Please wait 15 minutes.');
  }
  const email = normaliseEmail(rawEmail).slice(0, EMAIL_MAX);
  const row = await q.findStaffByEmail(k, email);
  if (!row || row.status !== 'active') return null;
  // At most three reset mails per account per 15 minutes, so the form cannot flood an inbox.
  if ((await q.bumpThrottle(k, `reset-account:${row.id}`, toDbTime(now), windowStart)) > 3) return null;
  const { token, hash } = newToken();
  await k
    .insertInto('staff_tokens')
    .values({
      token_hash: hash,
      purpose: 'reset',
      email,
      role: null,
      staff_id: row.id,
      created_by: null,
      created_at: toDbTime(now),
      expires_at: toDbTime(new Date(now.getTime() + RESET_TTL_MS)),
      used_at: null,
    })
    .execute();
  const staff: StaffMember = {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    active: true,
    totpEnabled: row.totp_enabled === 1,
    authorId: row.author_id,
  };
  await recordAudit(deps, null, 'auth.password_reset_requested', { type: 'staff', id: row.id });
  return { token, staff };
}

export async function resetLinkIsUsable(deps: AccountsDeps, token: unknown): Promise<boolean> {
  return (await findUsableToken(deps.db, token, 'reset', deps.clock.now())) !== undefined;
}

/**
 * Sets a new password from a reset link and ends every session. It does not sign anyone
 * in: the person signs in with the new password and, if they have one, their second factor.
 */
export async function resetPassword(deps: AccountsDeps, token: unknown, password: string): Promise<void> {
  const now = deps.clock.now();
  const reset = await findUsableToken(deps.db, token, 'reset', now);
  if (!reset || reset.staff_id === null) throw LINK_INVALID();
  const row = await q.findStaffById(deps.db.kysely, reset.staff_id);
  if (!row || row.status !== 'active') throw LINK_INVALID();
  const policy = checkPasswordPolicy(password, {
    email: row.email,
    name: row.name,
    publication: await deps.publicationName(),
  });
  if (!policy.ok) throw new ValidationError('ACCOUNTS_WEAK_PASSWORD', policy.message, { password: policy.message });
  const passwordHash = await hashPassword(password);
  await deps.db.kysely.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('staff_tokens')
      .set({ used_at: toDbTime(now) })
      .where('id', '=', reset.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw LINK_INVALID();
    await q.updateStaff(trx, row.id, {
      password_hash: passwordHash,
      password_changed_at: toDbTime(now),
      updated_at: toDbTime(now),
    });
    await q.deleteSessionsOf(trx, row.id);
  });
  await recordAudit(deps, null, 'auth.password_reset', { type: 'staff', id: row.id });
}
