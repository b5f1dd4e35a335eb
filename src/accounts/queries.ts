import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, StaffRole, StaffTable } from '#db';
import { fromDbJson, isUniqueViolation, toDbJson } from '#db';
import { ConflictError } from '#lib/errors.ts';

type K = Kysely<Database>;
export type StaffRow = Selectable<StaffTable>;

export async function countStaff(db: K): Promise<number> {
  const r = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertStaff(
  db: K,
  s: { email: string; name: string; role: StaffRole; passwordHash: string; now: string; authorId?: number | null },
): Promise<number> {
  try {
    const r = await db
      .insertInto('staff')
      .values({
        email: s.email,
        name: s.name,
        role: s.role,
        status: 'active',
        password_hash: s.passwordHash,
        totp_secret: null,
        totp_enabled: 0,
        totp_last_step: null,
        recovery_codes: toDbJson([]),
        author_id: s.authorId ?? null,
        created_at: s.now,
        updated_at: s.now,
        password_changed_at: s.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError('ACCOUNTS_EMAIL_TAKEN', 'Someone on the staff already uses that email address.', {
        cause: err,
      });
    throw err;
  }
}

export async function findStaffByEmail(db: K, email: string): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findStaffById(db: K, id: number): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listStaff(db: K): Promise<StaffRow[]> {
  return db.selectFrom('staff').selectAll().orderBy('name').execute();
}

export async function updateStaff(db: K, id: number, patch: Partial<Omit<StaffRow, 'id'>>): Promise<void> {
  await db.updateTable('staff').set(patch).where('id', '=', id).execute();
}

export function recoveryHashes(row: StaffRow): string[] {
  return fromDbJson<string[]>(row.recovery_codes, []);
}

// ---- sessions ----

export async function insertSession(
  db: K,
  s: { id: string; staffId: number; secondFactorDone: boolean; now: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto('staff_sessions')
    .values({
      id: s.id,
      staff_id: s.staffId,
      second_factor_done: s.secondFactorDone ? 1 : 0,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      reauthenticated_at: s.now,
    })
    .execute();
}

export async function findSession(db: K, id: string) {
  return db
    .selectFrom('staff_sessions')
    .innerJoin('staff', 'staff.id', 'staff_sessions.staff_id')
    .select([
      'staff_sessions.id as session_id',
      'staff_sessions.second_factor_done',
      'staff_sessions.created_at as session_created_at',
      'staff_sessions.last_seen_at',
      'staff_sessions.expires_at',
      'staff_sessions.reauthenticated_at',
      'staff.id',
      'staff.email',
      'staff.name',
      'staff.role',
      'staff.status',
      'staff.totp_enabled',
      'staff.author_id',
    ])
    .where('staff_sessions.id', '=', id)
    .executeTakeFirst();
}

export async function touchSession(db: K, id: string, now: string): Promise<void> {
  await db.updateTable('staff_sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function updateSession(
  db: K,
  id: string,
  patch: { second_factor_done?: number; reauthenticated_at?: string },
): Promise<void> {
  await db.updateTable('staff_sessions').set(patch).where('id', '=', id).execute();
}

export async function deleteSession(db: K, id: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: K, staffId: number, exceptId?: string): Promise<number> {
  let q = db.deleteFrom('staff_sessions').where('staff_id', '=', staffId);
  if (exceptId) q = q.where('id', '<>', exceptId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

// ---- throttle ----

/**
 * Counts one event for `key` in a fixed window and returns the count so far. An atomic
 * upsert, so concurrent requests from several processes count correctly.
 */
export async function bumpThrottle(db: K, key: string, now: string, windowStartIfNew: string): Promise<number> {
  const r = await db
    .insertInto('auth_throttle')
    .values({ key, window_start: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql`case when auth_throttle.window_start < ${windowStartIfNew} then 1 else auth_throttle.count + 1 end`,
        window_start: sql`case when auth_throttle.window_start < ${windowStartIfNew} then ${now} else auth_throttle.window_start end`,
      }),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return r.count;
}

export async function readThrottle(db: K, key: string, windowStart: string): Promise<number> {
  const r = await db
    .selectFrom('auth_throttle')
    .select(['count', 'window_start'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (!r || r.window_start < windowStart) return 0;
  return r.count;
}

/** Records that something was seen now (a throttle row used as a timestamp). */
export async function markSeen(db: K, key: string, now: string): Promise<void> {
  await db
    .insertInto('auth_throttle')
    .values({ key, window_start: now, count: 1 })
    .onConflict((oc) => oc.column('key').doUpdateSet({ window_start: now, count: 1 }))
    .execute();
}

export async function clearThrottle(db: K, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}

// ---- audit ----

export async function insertAudit(
  db: K,
  e: {
    at: string;
    actorId: number | null;
    actorLabel: string;
    action: string;
    targetType: string | null;
    targetId: string | null;
    detail: unknown;
  },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: e.at,
      actor_id: e.actorId,
      actor_label: e.actorLabel,
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId,
      detail: toDbJson(e.detail),
    })
    .execute();
}

export async function listAudit(db: K, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
