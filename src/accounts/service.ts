import crypto from 'node:crypto';
import type { Db } from '#db';
import { fromDbBool, isUniqueViolation, toDbJson, toDbTime } from '#db';
import type { Clock } from '#lib/clock.ts';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#lib/errors.ts';
import { EMAIL_MAX, normaliseEmail, parseEmail } from '#mail';
import { checkPasswordPolicy, hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './passwords.ts';
import * as q from './queries.ts';
import { generateRecoveryCodes, hashRecoveryCode, matchRecoveryCode } from './recovery-codes.ts';
import { canAssignRole, requiresTwoFactor, type StaffRole } from './roles.ts';
import {
  hashToken,
  isPlausibleToken,
  newToken,
  REAUTH_WINDOW_MS,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
} from './sessions.ts';
import { generateTotpSecret, totpUri, verifyTotp } from './totp.ts';

export interface AccountsDeps {
  db: Db;
  clock: Clock;
  publicationName: () => Promise<string>;
}

export interface StaffMember {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  active: boolean;
  totpEnabled: boolean;
  authorId: number | null;
}

export interface StaffSession {
  id: string; // the stored hash, never the cookie token
  staff: StaffMember;
  secondFactorDone: boolean;
  reauthenticatedAt: string | null;
}

// Sign-in throttling: at most this many password checks per address per window.
export const IP_ATTEMPTS = 5;
export const IP_WINDOW_MS = 15 * 60_000;
const SECOND_FACTOR_ATTEMPTS = 5;
/** Failed sign-ins per account per window before it closes to unfamiliar networks. */
export const ACCOUNT_FAILURES = 10;
const KNOWN_NETWORK_MS = 90 * 24 * 3_600_000;

function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

const SIGN_IN_FAILED = () =>
  new AppError(401, 'ACCOUNTS_SIGN_IN_FAILED', 'That email and password do not match an active account.');
const THROTTLED = () =>
  new AppError(
    429,
    'ACCOUNTS_THROTTLED',
    'Too many sign-in attempts from your network. Please wait 15 minutes and try again.',
  );

function toMember(r: {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  status: string;
  totp_enabled: number;
  author_id: number | null;
}): StaffMember {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    active: r.status === 'active',
    totpEnabled: fromDbBool(r.totp_enabled),
    authorId: r.author_id,
  };
}

async function audit(
  deps: AccountsDeps,
  actor: StaffMember | null,
  action: string,
  target: { type: string; id: string | number } | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await q.insertAudit(deps.db.kysely, {
    at: toDbTime(deps.clock.now()),
    actorId: actor?.id ?? null,
    actorLabel: actor ? `${actor.name} <${actor.email}>` : 'anonymous',
    action,
    targetType: target?.type ?? null,
    targetId: target === null ? null : String(target.id),
    detail,
  });
}

export { audit as recordAudit };

async function checkNewPassword(
  deps: AccountsDeps,
  password: string,
  who: { email: string; name: string },
): Promise<string> {
  const policy = checkPasswordPolicy(password, {
    email: who.email,
    name: who.name,
    publication: await deps.publicationName(),
  });
  if (!policy.ok) throw new ValidationError('ACCOUNTS_WEAK_PASSWORD', policy.message, { password: policy.message });
  return hashPassword(password);
}

/** True until the first staff member (the owner) exists. */
export async function needsSetup(deps: AccountsDeps): Promise<boolean> {
  return (await q.countStaff(deps.db.kysely)) === 0;
}

/** Creates the owner on a fresh installation; refused once anyone exists. */
export async function createOwner(
  deps: AccountsDeps,
  input: { email: string; name: string; password: string },
): Promise<StaffMember> {
  const email = parseEmail(input.email);
  const name = input.name.trim();
  const fields: Record<string, string> = {};
  if (!email) fields.email = 'Enter a valid email address';
  if (!name || name.length > 120) fields.name = 'Enter your name (up to 120 characters)';
  if (!email || Object.keys(fields).length)
    throw new ValidationError('ACCOUNTS_INVALID', 'Please correct the marked fields.', fields);
  const passwordHash = await checkNewPassword(deps, input.password, { email, name });
  const id = await deps.db.kysely.transaction().execute(async (trx) => {
    if ((await q.countStaff(trx)) > 0)
      throw new ConflictError('ACCOUNTS_ALREADY_SET_UP', 'This newsroom already has an owner.');
    return q.insertStaff(trx, { email, name, role: 'owner', passwordHash, now: toDbTime(deps.clock.now()) });
  });
  const owner = await getStaff(deps, id);
  await audit(deps, owner, 'staff.owner_created', { type: 'staff', id });
  return owner;
}

export async function getStaff(deps: AccountsDeps, id: number): Promise<StaffMember> {
  const r = await q.findStaffById(deps.db.kysely, id);
  if (!r) throw new NotFoundError('ACCOUNTS_NOT_FOUND', 'No such staff member.');
  return toMember(r);
}

export async function listStaff(deps: AccountsDeps): Promise<StaffMember[]> {
  return (await q.listStaff(deps.db.kysely)).map(toMember);
}

function signInIpKey(ip: string): string {
  return `signin-ip:${ip}`;
}

/**
 * Throws 429 when `ip` has used up its failed sign-ins for the window. Writes nothing, so
 * flows that sign someone in after a write (accepting an invitation) check it first.
 */
export async function checkSignInThrottle(deps: AccountsDeps, ip: string): Promise<void> {
  const windowStart = toDbTime(new Date(deps.clock.now().getTime() - IP_WINDOW_MS));
  if ((await q.readThrottle(deps.db.kysely, signInIpKey(ip), windowStart)) >= IP_ATTEMPTS) throw THROTTLED();
}

/**
 * Checks email and password. The answer is the same for an unknown email, a deactivated
 * account and a wrong password, and takes the same time. Each network address gets
 * IP_ATTEMPTS failures per window; the limit is per address, so an attacker cannot lock the
 * real user out, and successful sign-ins never count.
 */
export async function signIn(
  deps: AccountsDeps,
  input: { email: string; password: string; ip: string },
): Promise<{ token: string; session: StaffSession }> {
  const k = deps.db.kysely;
  const now = deps.clock.now();
  const ipKey = signInIpKey(input.ip);
  const windowStart = toDbTime(new Date(now.getTime() - IP_WINDOW_MS));
  await checkSignInThrottle(deps, input.ip);

  const email = normaliseEmail(input.email).slice(0, EMAIL_MAX);
  const row = await q.findStaffByEmail(k, email);
  // Per account: many failures from many addresses (a distributed guess) close the account
  // to networks it has never signed in from. Networks where the person has signed in before
  // stay open, so an attacker cannot lock the real user out; unknown emails are counted the
  // same way, so the limit reveals nothing about who has an account.
  const emailKey = `signin-email:${sha256(email).slice(0, 32)}`;
  const networkKey = row ? `known-network:${sha256(`${row.id}|${input.ip}`).slice(0, 32)}` : null;
  if ((await q.readThrottle(k, emailKey, windowStart)) >= ACCOUNT_FAILURES) {
    const known =
      networkKey !== null &&
      (await q.readThrottle(k, networkKey, toDbTime(new Date(now.getTime() - KNOWN_NETWORK_MS)))) > 0;
    if (!known) throw THROTTLED();
  }
  const password = input.password.slice(0, 1024);
  const ok = row ? await verifyPassword(password, row.password_hash) : await verifyAgainstDummy(password);
  if (!row || !ok || row.status !== 'active') {
    // Failures only: a newsroom behind one shared address signs in many times a day.
    await q.bumpThrottle(k, ipKey, toDbTime(now), windowStart);
    await q.bumpThrottle(k, emailKey, toDbTime(now), windowStart);
    await audit(deps, null, 'auth.sign_in_failed', row ? { type: 'staff', id: row.id } : null, {
      reason: row ? (ok ? 'deactivated' : 'password') : 'unknown account',
    });
    throw SIGN_IN_FAILED();
  }
  if (needsRehash(row.password_hash)) await q.updateStaff(k, row.id, { password_hash: await hashPassword(password) });
  if (networkKey) await q.markSeen(k, networkKey, toDbTime(now));
  const secondFactorDone = !fromDbBool(row.totp_enabled);
  const { token, hash } = newToken();
  await q.insertSession(k, {
    id: hash,
    staffId: row.id,
    secondFactorDone,
    now: toDbTime(now),
    expiresAt: toDbTime(new Date(now.getTime() + SESSION_ABSOLUTE_MS)),
  });
  const member = toMember(row);
  await audit(deps, member, secondFactorDone ? 'auth.signed_in' : 'auth.password_accepted', {
    type: 'staff',
    id: row.id,
  });
  return { token, session: { id: hash, staff: member, secondFactorDone, reauthenticatedAt: toDbTime(now) } };
}

/**
 * Completes sign-in with a TOTP code or a recovery code. The session gets a new id, so a
 * token seen before the second factor is worthless after it.
 */
export async function completeSecondFactor(
  deps: AccountsDeps,
  session: StaffSession,
  code: string,
): Promise<{ token: string }> {
  const k = deps.db.kysely;
  const now = deps.clock.now();
  const key = `2fa:${session.staff.id}`;
  if (
    (await q.bumpThrottle(k, key, toDbTime(now), toDbTime(new Date(now.getTime() - IP_WINDOW_MS)))) >
    SECOND_FACTOR_ATTEMPTS
  ) {
    throw new AppError(429, 'ACCOUNTS_THROTTLED', 'Too many codes tried. Please wait 15 minutes and try again.');
  }
  const row = await q.findStaffById(k, session.staff.id);
  if (!row || !row.totp_secret || !fromDbBool(row.totp_enabled))
    throw new ForbiddenError('ACCOUNTS_NO_SECOND_FACTOR', 'Two-factor sign-in is not set up for this account.');
  const totp = verifyTotp(row.totp_secret, code, { now, lastUsedStep: row.totp_last_step ?? undefined });
  let used: string;
  if (totp.ok && totp.step !== undefined) {
    await q.updateStaff(k, row.id, { totp_last_step: totp.step });
    used = 'totp';
  } else {
    const hashes = q.recoveryHashes(row);
    const i = matchRecoveryCode(code, hashes);
    if (i < 0) {
      await audit(deps, session.staff, 'auth.second_factor_failed', { type: 'staff', id: row.id });
      throw new AppError(
        401,
        'ACCOUNTS_BAD_CODE',
        'That code is not valid. Check your authenticator app and try again.',
      );
    }
    hashes.splice(i, 1);
    await q.updateStaff(k, row.id, { recovery_codes: toDbJson(hashes) });
    used = 'recovery code';
  }
  await q.clearThrottle(k, key);
  const { token, hash } = newToken();
  await k.transaction().execute(async (trx) => {
    await q.deleteSession(trx, session.id);
    await q.insertSession(trx, {
      id: hash,
      staffId: row.id,
      secondFactorDone: true,
      now: toDbTime(now),
      expiresAt: toDbTime(new Date(now.getTime() + SESSION_ABSOLUTE_MS)),
    });
  });
  await audit(deps, session.staff, 'auth.signed_in', { type: 'staff', id: row.id }, { second_factor: used });
  return { token };
}

/** The session behind a cookie token, if it is still valid (idle ≤ 12 h, absolute ≤ 7 days, active staff). */
export async function resolveSession(deps: AccountsDeps, token: unknown): Promise<StaffSession | null> {
  if (!isPlausibleToken(token)) return null;
  const k = deps.db.kysely;
  const id = hashToken(token);
  const r = await q.findSession(k, id);
  if (!r) return null;
  const now = deps.clock.now().getTime();
  if (
    r.status !== 'active' ||
    new Date(r.expires_at).getTime() <= now ||
    new Date(r.last_seen_at).getTime() + SESSION_IDLE_MS <= now
  ) {
    await q.deleteSession(k, id);
    return null;
  }
  // Writing on every request would be wasteful; a minute's precision is plenty for idling.
  if (now - new Date(r.last_seen_at).getTime() > 60_000) await q.touchSession(k, id, toDbTime(new Date(now)));
  return {
    id,
    staff: toMember(r),
    secondFactorDone: fromDbBool(r.second_factor_done),
    reauthenticatedAt: r.reauthenticated_at,
  };
}

export async function signOut(deps: AccountsDeps, session: StaffSession): Promise<void> {
  await q.deleteSession(deps.db.kysely, session.id);
  await audit(deps, session.staff, 'auth.signed_out', { type: 'staff', id: session.staff.id });
}

/** Ends every session of the signed-in person, this one included. */
export async function signOutEverywhere(deps: AccountsDeps, session: StaffSession): Promise<number> {
  const n = await q.deleteSessionsOf(deps.db.kysely, session.staff.id);
  await audit(
    deps,
    session.staff,
    'auth.signed_out_everywhere',
    { type: 'staff', id: session.staff.id },
    { sessions: n },
  );
  return n;
}

/** For a seized device: an admin ends all of someone's sessions. */
export async function revokeSessions(deps: AccountsDeps, actor: StaffMember, staffId: number): Promise<number> {
  const target = await getStaff(deps, staffId);
  if (!canAssignRole(actor.role, target.role) && actor.id !== target.id)
    throw new ForbiddenError('ACCOUNTS_FORBIDDEN', 'You cannot manage this person’s account.');
  const n = await q.deleteSessionsOf(deps.db.kysely, staffId);
  await audit(deps, actor, 'staff.sessions_revoked', { type: 'staff', id: staffId }, { sessions: n });
  return n;
}

/** Confirms the password again before a sensitive change. */
export async function reauthenticate(deps: AccountsDeps, session: StaffSession, password: string): Promise<void> {
  const row = await q.findStaffById(deps.db.kysely, session.staff.id);
  if (!row || !(await verifyPassword(password.slice(0, 1024), row.password_hash))) {
    await audit(deps, session.staff, 'auth.reauthentication_failed', { type: 'staff', id: session.staff.id });
    throw new AppError(401, 'ACCOUNTS_REAUTH_FAILED', 'That password is not right.');
  }
  await q.updateSession(deps.db.kysely, session.id, { reauthenticated_at: toDbTime(deps.clock.now()) });
}

export function recentlyReauthenticated(deps: AccountsDeps, session: StaffSession): boolean {
  return (
    session.reauthenticatedAt !== null &&
    deps.clock.now().getTime() - new Date(session.reauthenticatedAt).getTime() < REAUTH_WINDOW_MS
  );
}

function requireReauth(deps: AccountsDeps, session: StaffSession): void {
  if (!recentlyReauthenticated(deps, session))
    throw new AppError(403, 'ACCOUNTS_REAUTH_REQUIRED', 'Please confirm your password first.');
}

/** Starts TOTP enrolment: a new secret, not yet active. */
export async function startTotpEnrolment(
  deps: AccountsDeps,
  session: StaffSession,
): Promise<{ secret: string; uri: string }> {
  requireReauth(deps, session);
  const secret = generateTotpSecret();
  await q.updateStaff(deps.db.kysely, session.staff.id, {
    totp_secret: secret,
    totp_enabled: 0,
    totp_last_step: null,
    updated_at: toDbTime(deps.clock.now()),
  });
  return { secret, uri: totpUri({ secret, account: session.staff.email, issuer: await deps.publicationName() }) };
}

/** Activates TOTP once the person proves their app works; returns fresh recovery codes (shown once). */
export async function confirmTotpEnrolment(deps: AccountsDeps, session: StaffSession, code: string): Promise<string[]> {
  const k = deps.db.kysely;
  const row = await q.findStaffById(k, session.staff.id);
  if (!row?.totp_secret)
    throw new ValidationError('ACCOUNTS_NO_ENROLMENT', 'Start setting up two-factor sign-in first.');
  const totp = verifyTotp(row.totp_secret, code, { now: deps.clock.now() });
  if (!totp.ok || totp.step === undefined)
    throw new ValidationError('ACCOUNTS_BAD_CODE', 'That code is not valid.', {
      code: 'That code is not valid. Check the time on your phone and try again.',
    });
  const codes = generateRecoveryCodes();
  await q.updateStaff(k, row.id, {
    totp_enabled: 1,
    totp_last_step: totp.step,
    recovery_codes: toDbJson(codes.map(hashRecoveryCode)),
    updated_at: toDbTime(deps.clock.now()),
  });
  await q.updateSession(k, session.id, { second_factor_done: 1 });
  await q.deleteSessionsOf(k, row.id, session.id); // other devices must sign in with the new factor
  await audit(deps, session.staff, 'auth.totp_enabled', { type: 'staff', id: row.id });
  return codes;
}

/** Changes the signed-in person's password; other sessions end. */
export async function changePassword(deps: AccountsDeps, session: StaffSession, newPassword: string): Promise<void> {
  requireReauth(deps, session);
  const hash = await checkNewPassword(deps, newPassword, session.staff);
  const now = toDbTime(deps.clock.now());
  await q.updateStaff(deps.db.kysely, session.staff.id, {
    password_hash: hash,
    password_changed_at: now,
    updated_at: now,
  });
  await q.deleteSessionsOf(deps.db.kysely, session.staff.id, session.id);
  await audit(deps, session.staff, 'auth.password_changed', { type: 'staff', id: session.staff.id });
}

/** Adds a staff member directly with a password (scripts, first run); invitations come by email. */
export async function addStaff(
  deps: AccountsDeps,
  actor: StaffMember | null,
  input: { email: string; name: string; role: StaffRole; password: string },
): Promise<StaffMember> {
  if (actor && !canAssignRole(actor.role, input.role))
    throw new ForbiddenError('ACCOUNTS_FORBIDDEN', 'You cannot give that role.');
  const email = parseEmail(input.email);
  if (!email)
    throw new ValidationError('ACCOUNTS_INVALID', 'Please correct the marked fields.', {
      email: 'Enter a valid email address',
    });
  const hash = await checkNewPassword(deps, input.password, { email, name: input.name });
  const id = await q.insertStaff(deps.db.kysely, {
    email,
    name: input.name.trim(),
    role: input.role,
    passwordHash: hash,
    now: toDbTime(deps.clock.now()),
  });
  await audit(deps, actor, 'staff.added', { type: 'staff', id }, { role: input.role });
  return getStaff(deps, id);
}

/** Changes someone's role; owners manage everyone, admins everyone below admin. */
export async function changeRole(
  deps: AccountsDeps,
  actor: StaffMember,
  staffId: number,
  role: StaffRole,
): Promise<void> {
  const target = await getStaff(deps, staffId);
  if (target.id === actor.id) throw new ForbiddenError('ACCOUNTS_FORBIDDEN', 'You cannot change your own role.');
  if (!canAssignRole(actor.role, target.role) || !canAssignRole(actor.role, role))
    throw new ForbiddenError('ACCOUNTS_FORBIDDEN', 'You cannot give or take that role.');
  await q.updateStaff(deps.db.kysely, staffId, { role, updated_at: toDbTime(deps.clock.now()) });
  await audit(deps, actor, 'staff.role_changed', { type: 'staff', id: staffId }, { from: target.role, to: role });
}

/** Deactivates a staff member and ends all their sessions at once. */
export async function deactivateStaff(deps: AccountsDeps, actor: StaffMember, staffId: number): Promise<void> {
  const target = await getStaff(deps, staffId);
  if (target.id === actor.id) throw new ForbiddenError('ACCOUNTS_FORBIDDEN', 'You cannot deactivate yourself.');
  if (!canAssignRole(actor.role, target.role))
    throw new ForbiddenError('ACCOUNTS_FORBIDDEN', 'You cannot deactivate this person.');
  await deps.db.kysely.transaction().execute(async (trx) => {
    await q.updateStaff(trx, staffId, { status: 'deactivated', updated_at: toDbTime(deps.clock.now()) });
    await q.deleteSessionsOf(trx, staffId);
  });
  await audit(deps, actor, 'staff.deactivated', { type: 'staff', id: staffId });
}

/** Whether this person must still set up two-factor sign-in before using the newsroom. */
export function mustEnrolSecondFactor(s: StaffSession): boolean {
  return requiresTwoFactor(s.staff.role) && !s.staff.totpEnabled;
}

export async function listAuditLog(deps: AccountsDeps, page: number, perPage = 50) {
  const { rows, total } = await q.listAudit(deps.db.kysely, perPage, (page - 1) * perPage);
  return { items: rows, total, page, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

/** The staff member's id if they exist (a staff member "owns" their own record). */
export async function findStaffOwner(deps: AccountsDeps, id: number): Promise<number | undefined> {
  return (await q.findStaffById(deps.db.kysely, id))?.id;
}

/** For a lost phone with no recovery codes: an admin clears someone's TOTP; they enrol again. */
export async function resetSecondFactor(deps: AccountsDeps, actor: StaffMember, staffId: number): Promise<void> {
  const target = await getStaff(deps, staffId);
  if (target.id === actor.id || !canAssignRole(actor.role, target.role))
    throw new ForbiddenError('ACCOUNTS_FORBIDDEN', 'You cannot reset this person’s two-factor sign-in.');
  await deps.db.kysely.transaction().execute(async (trx) => {
    await q.updateStaff(trx, staffId, {
      totp_secret: null,
      totp_enabled: 0,
      totp_last_step: null,
      recovery_codes: toDbJson([]),
      updated_at: toDbTime(deps.clock.now()),
    });
    await q.deleteSessionsOf(trx, staffId);
  });
  await audit(deps, actor, 'staff.second_factor_reset', { type: 'staff', id: staffId });
}

/** Changes the signed-in person's email after they confirm their password. */
export async function changeEmail(
  deps: AccountsDeps,
  session: StaffSession,
  newEmail: string,
): Promise<{ previous: string; email: string }> {
  requireReauth(deps, session);
  const email = parseEmail(newEmail);
  if (!email)
    throw new ValidationError('ACCOUNTS_INVALID', 'Enter a valid email address.', {
      email: 'Enter a valid email address',
    });
  try {
    await q.updateStaff(deps.db.kysely, session.staff.id, { email, updated_at: toDbTime(deps.clock.now()) });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError('ACCOUNTS_EMAIL_TAKEN', 'Someone on the staff already uses that email address.', {
        cause: err,
      });
    throw err;
  }
  await audit(deps, session.staff, 'auth.email_changed', { type: 'staff', id: session.staff.id });
  return { previous: session.staff.email, email };
}
