// Runs the test suites with Node's test runner and says plainly which suites were skipped
// and how to enable them. In CI (CI=true) a missing PostgreSQL or Chromium is a failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const root = path.resolve(import.meta.dirname, '..');
const pgUrl = process.env.MASTHEAD_TEST_PG_URL;
const chromium = process.env.MASTHEAD_TEST_CHROMIUM;
const problems: string[] = [];
const skipped: string[] = [];

function find(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && pattern.test(entry.name))
      out.push(path.relative(root, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

const only = process.argv.slice(2);
let files = only.length > 0 ? only : [...find('src', /\.test\.ts$/), ...find('tests', /\.test\.ts$/)];

if (pgUrl) {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    problems.push(`PostgreSQL at MASTHEAD_TEST_PG_URL is not reachable: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
} else {
  const msg =
    'PostgreSQL suite: set MASTHEAD_TEST_PG_URL=postgres://user@127.0.0.1:5432/db (a server where the user may CREATE DATABASE)';
  if (ci) problems.push(`${msg} — required in CI`);
  else skipped.push(msg);
}

const e2e = files.filter((f) => f.startsWith(path.join('tests', 'e2e')));
if (e2e.length > 0) {
  if (!chromium) {
    const msg =
      'Browser suite (tests/e2e): set MASTHEAD_TEST_CHROMIUM=/usr/bin/chromium (Debian: apt-get install chromium)';
    if (ci) problems.push(`${msg} — required in CI`);
    else skipped.push(msg);
    files = files.filter((f) => !e2e.includes(f));
  } else if (!fs.existsSync(chromium)) {
    problems.push(`MASTHEAD_TEST_CHROMIUM=${chromium} does not exist`);
  }
}

if (problems.length > 0) {
  console.error(`Cannot run the tests:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
if (skipped.length > 0) {
  console.log(`Skipped suites (run them too by setting):\n${skipped.map((s) => `  - ${s}`).join('\n')}\n`);
}

const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=300000', ...files], {
  stdio: 'inherit',
  cwd: root,
  env: process.env,
});
if (skipped.length > 0) console.log(`\nNote: ${skipped.length} suite(s) skipped; see the top of this output.`);
process.exit(result.status ?? 1);
