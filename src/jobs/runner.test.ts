import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { openDatabase } from '#db';
import { systemClock } from '#lib/clock.ts';
import { createTestDb, dialects, type TestDb } from '#test/db.ts';
import { findJob } from './queries.ts';
import { createJobQueue } from './queue.ts';
import { JobRunner } from './runner.ts';
import { defineJob } from './types.ts';

const until = async (cond: () => Promise<boolean> | boolean, what: string, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

for (const dialect of dialects) {
  describe(`job runner on ${dialect}`, () => {
    const dbs: TestDb[] = [];
    const fresh = async () => {
      const t = await createTestDb(dialect);
      dbs.push(t);
      return t;
    };
    after(async () => {
      for (const t of dbs) await t.cleanup();
    });

    test('runs a job, retries failures with backoff, and records the outcome', async () => {
      const t = await fresh();
      const seen: number[] = [];
      let calls = 0;
      const flaky = defineJob({
        type: 'test.flaky',
        payload: z.object({ n: z.number() }),
        async run(p) {
          calls++;
          if (calls < 3) throw new Error(`boom ${calls}`);
          seen.push(p.n);
        },
      });
      const runner = new JobRunner({ db: t.db, clock: systemClock, handlers: [flaky], pollMs: 50, backoffMs: 20 });
      const queue = createJobQueue(t.db, systemClock, () => runner.wake());
      runner.start();
      const id = await queue.enqueue('test.flaky', { n: 7 });
      await until(async () => (await findJob(t.db.kysely, id))?.status === 'done', 'the job to finish');
      await runner.stop();
      const job = await findJob(t.db.kysely, id);
      assert.equal(job?.attempts, 3);
      assert.equal(job?.last_error, null);
      assert.deepEqual(seen, [7]);
    });

    test('gives up after max attempts, and never retries an invalid payload', async () => {
      const t = await fresh();
      const always = defineJob({
        type: 'test.always-fails',
        payload: z.object({}),
        run: async () => Promise.reject(new Error('nope')),
      });
      const typed = defineJob({ type: 'test.typed', payload: z.object({ id: z.number() }), run: async () => {} });
      const runner = new JobRunner({
        db: t.db,
        clock: systemClock,
        handlers: [always, typed],
        pollMs: 50,
        backoffMs: 10,
      });
      const queue = createJobQueue(t.db, systemClock, () => runner.wake());
      runner.start();
      const a = await queue.enqueue('test.always-fails', {}, { maxAttempts: 2 });
      const b = await queue.enqueue('test.typed', { id: 'not a number' });
      await until(
        async () =>
          (await findJob(t.db.kysely, a))?.status === 'failed' && (await findJob(t.db.kysely, b))?.status === 'failed',
        'both to fail',
      );
      await runner.stop();
      assert.equal((await findJob(t.db.kysely, a))?.attempts, 2);
      assert.equal((await findJob(t.db.kysely, a))?.last_error, 'nope');
      assert.equal((await findJob(t.db.kysely, b))?.attempts, 1);
      assert.match((await findJob(t.db.kysely, b))?.last_error ?? '', /invalid payload/);
    });

    test('a job waits for its time; a unique key reschedules instead of duplicating', async () => {
      const t = await fresh();
      let ran = 0;
      const h = defineJob({ type: 'test.later', payload: z.object({}), run: async () => void ran++ });
      const runner = new JobRunner({ db: t.db, clock: systemClock, handlers: [h], pollMs: 50 });
      const queue = createJobQueue(t.db, systemClock, () => runner.wake());
      runner.start();
      const first = await queue.enqueue(
        'test.later',
        {},
        { uniqueKey: 'later:1', runAt: new Date(Date.now() + 60_000) },
      );
      const second = await queue.enqueue('test.later', {}, { uniqueKey: 'later:1', runAt: new Date(Date.now() + 400) });
      assert.equal(first, second);
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(ran, 0, 'not before its time');
      await until(() => ran === 1, 'the rescheduled run');
      await runner.stop();
      const count = await t.db.kysely
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
    });

    test("a dead worker's job is taken over when its lease runs out", async () => {
      const t = await fresh();
      const now = new Date();
      await t.db.kysely
        .insertInto('jobs')
        .values({
          type: 'test.orphan',
          payload: '{}',
          unique_key: null,
          status: 'running',
          run_at: now.toISOString(),
          attempts: 1,
          max_attempts: 5,
          lease_owner: 'a-dead-worker',
          lease_expires_at: new Date(now.getTime() - 1000).toISOString(),
          last_error: null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
          finished_at: null,
        })
        .execute();
      let ran = 0;
      const runner = new JobRunner({
        db: t.db,
        clock: systemClock,
        handlers: [defineJob({ type: 'test.orphan', payload: z.object({}), run: async () => void ran++ })],
        pollMs: 50,
      });
      runner.start();
      await until(() => ran === 1, 'the orphan to run');
      await runner.stop();
      const row = await t.db.kysely.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.status, 'done');
      assert.equal(row.attempts, 2);
    });

    test('a backlog larger than the concurrency drains without waiting for the poll', async () => {
      const t = await fresh();
      const done: number[] = [];
      const h = defineJob({
        type: 'test.backlog',
        payload: z.object({ i: z.number() }),
        async run(p) {
          await new Promise((r) => setTimeout(r, 1));
          done.push(p.i);
        },
      });
      let runner: JobRunner | null = null;
      const queue = createJobQueue(t.db, systemClock, () => runner?.wake());
      for (let i = 0; i < 40; i++) await queue.enqueue('test.backlog', { i });
      // A poll this long would time the test out: freed slots alone must pull the rest.
      runner = new JobRunner({ db: t.db, clock: systemClock, handlers: [h], pollMs: 600_000, concurrency: 3 });
      runner.start();
      await until(() => done.length === 40, 'the backlog', 10_000);
      // And a job enqueued while the runner is idle runs at once, woken by the queue.
      await queue.enqueue('test.backlog', { i: 40 });
      await until(() => done.length === 41, 'the job enqueued later', 10_000);
      await runner.stop();
      assert.deepEqual(
        [...done].sort((x, y) => x - y),
        Array.from({ length: 41 }, (_, i) => i),
      );
    });

    test('two workers on one database never run the same job, and run every job once', async () => {
      const t = await fresh();
      const otherDb = openDatabase(t.target);
      const active = new Set<number>();
      const runs = new Map<number, number>();
      let overlap = 0;
      const h = defineJob({
        type: 'test.count',
        payload: z.object({ i: z.number() }),
        async run(p) {
          if (active.has(p.i)) overlap++;
          active.add(p.i);
          await new Promise((r) => setTimeout(r, 2));
          active.delete(p.i);
          runs.set(p.i, (runs.get(p.i) ?? 0) + 1);
        },
      });
      const queue = createJobQueue(t.db, systemClock);
      for (let i = 0; i < 150; i++) await queue.enqueue('test.count', { i });
      const a = new JobRunner({ db: t.db, clock: systemClock, handlers: [h], pollMs: 20, concurrency: 3 });
      const b = new JobRunner({ db: otherDb, clock: systemClock, handlers: [h], pollMs: 20, concurrency: 3 });
      a.start();
      b.start();
      await until(() => runs.size === 150, 'all jobs', 60_000);
      await Promise.all([a.stop(), b.stop()]);
      await otherDb.close();
      assert.equal(overlap, 0);
      assert.ok(
        [...runs.values()].every((n) => n === 1),
        'each job ran exactly once',
      );
    });

    test('finished jobs are deleted after their keeping time; waiting and recent ones stay', async () => {
      const t = await fresh();
      const k = t.db.kysely;
      const now = new Date('2026-11-27T12:00:00.000Z');
      const day = 24 * 3_600_000;
      const ago = (d: number) => new Date(now.getTime() - d * day).toISOString();
      const row = (
        status: 'pending' | 'done' | 'failed' | 'cancelled',
        finishedDaysAgo: number | null,
        key: string,
      ) => ({
        type: 'test.none',
        payload: JSON.stringify({ to: `${key}@example.org` }),
        unique_key: key,
        status,
        run_at: ago(40),
        attempts: 1,
        max_attempts: 3,
        lease_owner: null,
        lease_expires_at: null,
        last_error: null,
        created_at: ago(40),
        updated_at: ago(40),
        finished_at: finishedDaysAgo === null ? null : ago(finishedDaysAgo),
      });
      await k
        .insertInto('jobs')
        .values([
          row('done', 8, 'old-done'),
          row('cancelled', 8, 'old-cancelled'),
          row('done', 6, 'recent-done'),
          row('failed', 31, 'old-failed'),
          row('failed', 20, 'recent-failed'),
          row('pending', null, 'waiting'),
        ])
        .execute();
      const runner = new JobRunner({ db: t.db, clock: { now: () => now }, handlers: [], pollMs: 20 });
      runner.start();
      await until(async () => (await k.selectFrom('jobs').select('id').execute()).length === 3, 'pruning');
      await runner.stop();
      const left = await k.selectFrom('jobs').select('unique_key').orderBy('unique_key').execute();
      assert.deepEqual(
        left.map((r) => r.unique_key),
        ['recent-done', 'recent-failed', 'waiting'],
      );
    });

    test('an error marked permanent fails the job at once, without retries', async () => {
      const t = await fresh();
      let calls = 0;
      const refused = defineJob({
        type: 'test.refused',
        payload: z.object({}),
        async run() {
          calls++;
          throw Object.assign(new Error('550 no such mailbox'), { permanent: true });
        },
      });
      const queue = createJobQueue(t.db, systemClock);
      const id = await queue.enqueue('test.refused', {}, { maxAttempts: 5 });
      const runner = new JobRunner({ db: t.db, clock: systemClock, handlers: [refused], pollMs: 20, backoffMs: 10 });
      runner.start();
      await until(async () => (await findJob(t.db.kysely, id))?.status === 'failed', 'failure');
      await new Promise((r) => setTimeout(r, 100));
      await runner.stop();
      assert.equal(calls, 1);
      const job = await findJob(t.db.kysely, id);
      assert.equal(job?.attempts, 1);
      assert.match(job?.last_error ?? '', /550 no such mailbox/);
    });
  });
}
