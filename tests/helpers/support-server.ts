// A Masthead web process for the support crash test: the real app on a fresh port, Stripe
// pointed at the parent's stand-in. Prints its port when it listens.
import { buildApp } from '#app';
import { openDatabase, type DatabaseTarget } from '#db';
import { testConfig } from './app.ts';

const target = JSON.parse(process.env.MASTHEAD_TEST_DB_TARGET ?? 'null') as DatabaseTarget;
const env = JSON.parse(process.env.MASTHEAD_TEST_ENV ?? '{}') as Record<string, string>;
const db = openDatabase(target);
// With MASTHEAD_TEST_LOGS=1 the app logs as in production (to stdout), for the log audit.
const app = await buildApp({
  config: testConfig(process.env.MASTHEAD_TEST_DIR ?? '.', env),
  db,
  logger: process.env.MASTHEAD_TEST_LOGS === '1',
});
if (process.env.MASTHEAD_TEST_WORKER === '1') app.masthead.startWorker();
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
