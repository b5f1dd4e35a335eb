import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '#app';
import { loadConfig, type Config } from '#config';
import type { DialectName } from '#db';
import type { Clock } from '#lib/clock.ts';
import { createTestDb, type TestDb } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  testDb: TestDb;
  config: Config;
  close(): Promise<void>;
}

/** A config for tests: everything under the test's own temporary directory. */
export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: path.join(dir, 'data'),
    BASE_URL: 'https://news.example.test',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/** buildApp() on a fresh database of the given dialect; use app.inject() against it. */
export async function createTestApp(
  dialect: DialectName,
  opts: { env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestApp> {
  const testDb = await createTestDb(dialect);
  const config = testConfig(testDb.dir, opts.env);
  let app: FastifyInstance;
  try {
    app = await buildApp({ config, db: testDb.db, logger: false, ...(opts.clock ? { clock: opts.clock } : {}) });
  } catch (err) {
    // An app that fails to build must not leave its database (and the test process) open.
    await testDb.cleanup();
    throw err;
  }
  return {
    app,
    testDb,
    config,
    close: async () => {
      await app.close();
      await testDb.cleanup();
    },
  };
}
