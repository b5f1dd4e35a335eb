import { sql } from 'kysely';
import { columnTypes, type Migration } from './types.ts';

export const accounts: Migration = {
  id: '0003-accounts',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    const exec = (q: string) => sql.raw(q).execute(db);
    await exec(`create table staff (
      id ${t.id},
      email text not null unique,
      name text not null,
      role text not null check (role in ('owner', 'admin', 'editor', 'author', 'contributor')),
      status text not null check (status in ('active', 'deactivated')),
      password_hash text not null,
      totp_secret text,
      totp_enabled integer not null default 0,
      totp_last_step integer,
      recovery_codes ${t.json} not null,
      author_id integer references authors (id) on delete set null,
      created_at ${t.time} not null,
      updated_at ${t.time} not null,
      password_changed_at ${t.time} not null)`);

    // The cookie carries a random token; only its SHA-256 is stored, so a copy of the
    // database does not hand out live sessions.
    await exec(`create table staff_sessions (
      id text primary key,
      staff_id integer not null references staff (id) on delete cascade,
      second_factor_done integer not null default 0,
      created_at ${t.time} not null,
      last_seen_at ${t.time} not null,
      expires_at ${t.time} not null,
      reauthenticated_at ${t.time})`);
    await exec(`create index staff_sessions_staff on staff_sessions (staff_id)`);

    // Single-use links: invitations and password resets. Only hashes are stored.
    await exec(`create table staff_tokens (
      id ${t.id},
      token_hash text not null unique,
      purpose text not null check (purpose in ('invite', 'reset')),
      email text not null,
      role text,
      staff_id integer references staff (id) on delete cascade,
      created_by integer references staff (id) on delete set null,
      created_at ${t.time} not null,
      expires_at ${t.time} not null,
      used_at ${t.time})`);

    // Sign-in throttling, shared by every process: one row per key and window.
    await exec(`create table auth_throttle (
      key text primary key,
      window_start ${t.time} not null,
      count integer not null)`);

    await exec(`create table audit_log (
      id ${t.id},
      at ${t.time} not null,
      actor_id integer references staff (id) on delete set null,
      actor_label text not null,
      action text not null,
      target_type text,
      target_id text,
      detail ${t.json} not null)`);
    await exec(`create index audit_log_at on audit_log (at)`);

    await exec(`alter table articles add column created_by integer references staff (id) on delete set null`);
    await exec(`alter table articles add column submitted_at ${t.time}`);
  },
};
