import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, DialectName, JobsTable } from '#db';
import { toDbJson } from '#db';

type K = Kysely<Database>;
export type JobRow = Selectable<JobsTable>;

export interface NewJob {
  type: string;
  payload: unknown;
  runAt: string;
  uniqueKey: string | null;
  maxAttempts: number;
  now: string;
}

/**
 * Adds a job. With a unique key, a job that is still waiting is rescheduled instead of
 * duplicated; a finished one is replaced by the new request.
 */
export async function insertJob(db: K, j: NewJob): Promise<number> {
  const values = {
    type: j.type,
    payload: toDbJson(j.payload),
    unique_key: j.uniqueKey,
    status: 'pending' as const,
    run_at: j.runAt,
    attempts: 0,
    max_attempts: j.maxAttempts,
    created_at: j.now,
    updated_at: j.now,
  };
  if (j.uniqueKey === null) {
    return (await db.insertInto('jobs').values(values).returning('id').executeTakeFirstOrThrow()).id;
  }
  const r = await db
    .insertInto('jobs')
    .values(values)
    .onConflict((oc) =>
      oc.column('unique_key').doUpdateSet({
        payload: values.payload,
        run_at: values.run_at,
        max_attempts: values.max_attempts,
        updated_at: values.updated_at,
        // A running job keeps running; its next run is decided when it finishes.
        status: sql`case when jobs.status = 'running' then jobs.status else 'pending' end`,
        attempts: sql`case when jobs.status = 'running' then jobs.attempts else 0 end`,
        last_error: sql`case when jobs.status = 'running' then jobs.last_error else null end`,
        finished_at: sql`case when jobs.status = 'running' then jobs.finished_at else null end`,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function cancelJob(db: K, uniqueKey: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ status: 'cancelled', updated_at: now, finished_at: now })
    .where('unique_key', '=', uniqueKey)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Takes up to `limit` due jobs for this worker: pending ones whose time has come, and
 * running ones whose lease ran out (their worker died). One statement, so two workers can
 * never take the same job; SKIP LOCKED keeps PostgreSQL workers from queueing on each other.
 */
export async function claimJobs(
  db: K,
  dialect: DialectName,
  opts: { worker: string; now: string; leaseUntil: string; limit: number; types: string[] },
): Promise<JobRow[]> {
  if (opts.types.length === 0) return [];
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const r = await sql<JobRow>`
    update jobs set status = 'running', lease_owner = ${opts.worker}, lease_expires_at = ${opts.leaseUntil},
      attempts = attempts + 1, updated_at = ${opts.now}
    where id in (
      select id from jobs
      where type in (${sql.join(opts.types)})
        and ((status = 'pending' and run_at <= ${opts.now}) or (status = 'running' and lease_expires_at < ${opts.now}))
      order by run_at, id
      limit ${opts.limit}
      ${lock})
    returning *`.execute(db);
  return r.rows;
}

/** Extends the lease of jobs this worker still holds. */
export async function renewLeases(db: K, worker: string, ids: number[], leaseUntil: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('jobs')
    .set({ lease_expires_at: leaseUntil })
    .where('id', 'in', ids)
    .where('lease_owner', '=', worker)
    .where('status', '=', 'running')
    .execute();
}

/** Marks a job done, only if this worker still holds it. */
export async function completeJob(db: K, id: number, worker: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({
      status: 'done',
      lease_owner: null,
      lease_expires_at: null,
      finished_at: now,
      updated_at: now,
      last_error: null,
    })
    .where('id', '=', id)
    .where('lease_owner', '=', worker)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records a failure: back to pending at `retryAt`, or failed for good when retryAt is null. */
export async function failJob(
  db: K,
  id: number,
  worker: string,
  error: string,
  now: string,
  retryAt: string | null,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set(
      retryAt === null
        ? {
            status: 'failed',
            lease_owner: null,
            lease_expires_at: null,
            last_error: error,
            finished_at: now,
            updated_at: now,
          }
        : {
            status: 'pending',
            lease_owner: null,
            lease_expires_at: null,
            last_error: error,
            run_at: retryAt,
            updated_at: now,
          },
    )
    .where('id', '=', id)
    .where('lease_owner', '=', worker)
    .where('status', '=', 'running')
    .execute();
}

/**
 * Deletes finished jobs: done and cancelled ones finished before `doneBefore`, failed ones
 * before `failedBefore`. Payloads hold readers' addresses and message bodies; keeping them
 * after the work is done would keep personal data for no purpose.
 */
export async function pruneFinished(db: K, doneBefore: string, failedBefore: string): Promise<number> {
  const r = await db
    .deleteFrom('jobs')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', 'in', ['done', 'cancelled']), eb('finished_at', '<', doneBefore)]),
        eb.and([eb('status', '=', 'failed'), eb('finished_at', '<', failedBefore)]),
      ]),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function nextRunAt(db: K, types: string[]): Promise<string | null> {
  if (types.length === 0) return null;
  const r = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.min('run_at').as('next'))
    .where('status', '=', 'pending')
    .where('type', 'in', types)
    .executeTakeFirst();
  return (r?.next as string | null | undefined) ?? null;
}

export async function findJobByKey(db: K, uniqueKey: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('unique_key', '=', uniqueKey).executeTakeFirst();
}

export async function findJob(db: K, id: number): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}
