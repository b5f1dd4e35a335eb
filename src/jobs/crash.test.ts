import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '#lib/clock.ts';
import { createTestDb, dialects } from '#test/db.ts';
import { createJobQueue } from './queue.ts';

const workerScript = path.resolve(import.meta.dirname, '../../tests/helpers/job-worker.ts');

function startWorker(target: unknown): Promise<ChildProcess> {
  const child = spawn(process.execPath, [workerScript], {
    env: { ...process.env, MASTHEAD_TEST_DB_TARGET: JSON.stringify(target) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

for (const dialect of dialects) {
  test(
    `kill -9 mid-job: every job completes, each effect recorded once (${dialect})`,
    { timeout: 120_000 },
    async () => {
      const t = await createTestDb(dialect);
      try {
        await sql`create table test_effects (job_id integer primary key, n integer not null, runs integer not null default 0)`.execute(
          t.db.kysely,
        );
        const queue = createJobQueue(t.db, systemClock);
        const total = 60;
        for (let n = 0; n < total; n++) await queue.enqueue('test.effect', { n });

        const countWhere = async (status: 'running' | 'done') =>
          Number(
            (
              await t.db.kysely
                .selectFrom('jobs')
                .select((eb) => eb.fn.countAll<number>().as('c'))
                .where('status', '=', status)
                .executeTakeFirstOrThrow()
            ).c,
          );

        // Kill the worker at random moments while it holds jobs, then start a fresh one.
        let kills = 0;
        for (let round = 0; round < 6; round++) {
          const w = await startWorker(t.target);
          await new Promise((r) => setTimeout(r, 60 + crypto.randomInt(0, 250)));
          await killHard(w);
          kills++;
        }
        const running = await countWhere('running');
        const last = await startWorker(t.target);
        let lastExit: number | null | undefined;
        last.once('exit', (code) => (lastExit = code));
        const end = Date.now() + 90_000;
        while ((await countWhere('done')) < total && Date.now() < end && lastExit === undefined)
          await new Promise((r) => setTimeout(r, 100));
        assert.equal(lastExit, undefined, 'the worker keeps running until told to stop');
        last.kill('SIGTERM');
        await new Promise((r) => last.once('exit', r));

        assert.equal(kills, 6);
        assert.equal(await countWhere('done'), total, 'every job done');
        const effects = await sql<{ job_id: number; runs: number }>`select job_id, runs from test_effects`.execute(
          t.db.kysely,
        );
        assert.equal(effects.rows.length, total, 'one effect row per job');
        const retried = await t.db.kysely.selectFrom('jobs').select('id').where('attempts', '>', 1).execute();
        assert.ok(running > 0, 'the last kill left jobs mid-run');
        assert.ok(retried.length >= running, 'jobs held by killed workers ran again');
      } finally {
        await t.cleanup();
      }
    },
  );
}
