// In-process micro-benchmark of one public page render: `node bench/render-micro.ts`.
//
// Seeds the demo publication into a temporary SQLite data dir (as `masthead serve` does),
// builds the app with the page cache off (PAGE_CACHE=0 unless told otherwise) and loops
// `app.inject()` against the first article linked from the home page. Reports CPU and wall
// µs per request (median of rounds; CPU time is the steadier figure on a shared machine) and
// the SQL statements one render issues. Memory is for `npm run bench` to judge: this process
// also seeded (and so loaded the image pipeline).
//
// Tunables (environment): MICRO_PATH (default: first article), MICRO_N (requests per
// round, default 2000), MICRO_ROUNDS (default 5), PAGE_CACHE (default 0), MICRO_GZIP=1
// (send Accept-Encoding: gzip), MICRO_DATA_DIR (reuse this data dir, seeding it on first
// use), MICRO_PROFILE=file.cpuprofile (profile the measured loop only), DATABASE_URL.

import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { buildApp } from '#app';
import { seedDemo } from '#articles';
import { loadConfig } from '#config';
import { migrate, openDatabase } from '#db';
import { applyDemoSettings } from '../src/server.ts';

const N = Number(process.env.MICRO_N ?? 2000);
const ROUNDS = Number(process.env.MICRO_ROUNDS ?? 5);
const keep = process.env.MICRO_DATA_DIR;
const tmp = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-micro-'));

class CountingPlugin implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

try {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: keep ?? path.join(tmp, 'data'),
    LOG_LEVEL: 'silent',
    PAGE_CACHE: process.env.PAGE_CACHE ?? '0',
    WORKER_IN_PROCESS: '0',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  });
  const db = openDatabase(config.database);
  await migrate(db);
  const counter = new CountingPlugin();
  const plain = db.kysely;
  const counting = db.kysely.withPlugin(counter);
  const app = await buildApp({ config, db, logger: false });
  const seeded = await seedDemo(app.masthead.articles);
  if (seeded.seeded) await applyDemoSettings(app);

  const home = await app.inject('/');
  const target = process.env.MICRO_PATH ?? /href="(\/articles\/[^"?#]+)"/.exec(home.body)?.[1];
  if (!target) throw new Error('no article link on the home page');
  const headers: Record<string, string> = process.env.MICRO_GZIP === '1' ? { 'accept-encoding': 'gzip' } : {};

  const first = await app.inject({ url: target, headers });
  if (first.statusCode !== 200) throw new Error(`${target}: HTTP ${first.statusCode}`);
  // Statements of one render: the app reads db.kysely on every query, so a counting
  // instance is swapped in for this request only (a plugin costs time of its own).
  db.kysely = counting;
  await app.inject({ url: target, headers });
  db.kysely = plain;
  const statements = counter.count;

  const session = process.env.MICRO_PROFILE ? new inspector.Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const results: number[] = [];
  const cpuResults: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const res = await app.inject({ url: target, headers });
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
    }
    const cpu = process.cpuUsage(c);
    results.push(Number(process.hrtime.bigint() - t) / 1000 / N);
    cpuResults.push((cpu.user + cpu.system) / N);
  }
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(process.env.MICRO_PROFILE!, JSON.stringify(profile));
    session.disconnect();
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  console.log(
    JSON.stringify({
      path: target,
      pageCache: config.pageCache.enabled,
      dialect: db.dialect,
      bytes: first.rawPayload.length,
      statementsPerRender: statements,
      cpuUsPerRequest: Math.round(median(cpuResults)),
      wallUsPerRequest: Math.round(median(results)),
      cpuRounds: cpuResults.map((v) => Math.round(v)),
      load: os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(' '),
    }),
  );
  await app.close();
  await db.close().catch(() => {});
} finally {
  if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
}
