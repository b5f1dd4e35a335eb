// A worker process for the crash test: runs `test.effect` jobs, each of which waits a
// little and then records its effect idempotently (keyed by job id), like a real handler.
import { sql } from 'kysely';
import { z } from 'zod';
import { openDatabase, type DatabaseTarget } from '#db';
import { defineJob, JobRunner } from '#jobs';
import { systemClock } from '#lib/clock.ts';

const target = JSON.parse(process.env.MASTHEAD_TEST_DB_TARGET ?? 'null') as DatabaseTarget;
const db = openDatabase(target);
const effect = defineJob({
  type: 'test.effect',
  payload: z.object({ n: z.number() }),
  async run(p, ctx) {
    await new Promise((r) => setTimeout(r, 40 + (p.n % 5) * 20));
    await sql`insert into test_effects (job_id, n) values (${ctx.jobId}, ${p.n}) on conflict (job_id) do nothing`.execute(
      db.kysely,
    );
    await sql`update test_effects set runs = runs + 1 where job_id = ${ctx.jobId}`.execute(db.kysely);
  },
});
const runner = new JobRunner({ db, clock: systemClock, handlers: [effect], concurrency: 3, leaseMs: 600, pollMs: 50 });
runner.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void runner
    .stop()
    .then(() => db.close())
    .then(() => process.exit(0));
});
