import { sql } from 'kysely';
import { columnTypes, type Migration } from './types.ts';

export const jobs: Migration = {
  id: '0002-jobs',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    const exec = (q: string) => sql.raw(q).execute(db);
    await exec(`create table jobs (
      id ${t.id},
      type text not null,
      payload ${t.json} not null,
      unique_key text unique,
      status text not null check (status in ('pending', 'running', 'done', 'failed', 'cancelled')),
      run_at ${t.time} not null,
      attempts integer not null default 0,
      max_attempts integer not null default 10,
      lease_owner text,
      lease_expires_at ${t.time},
      last_error text,
      created_at ${t.time} not null,
      updated_at ${t.time} not null,
      finished_at ${t.time})`);
    await exec(`create index jobs_due on jobs (status, run_at)`);
    await exec(`create index jobs_lease on jobs (status, lease_expires_at)`);
  },
};
