// Benchmark of the public article page: `npm run bench`.
//
// Everything runs against 127.0.0.1 in child processes, so the server and the load generator
// never share an event loop: servers are pinned to CPU 0 and this process (autocannon) to
// CPU 1 when `taskset` is available and there are at least two CPUs.
//
//   1. seeds a fresh temporary data dir by starting the real server (`bin/masthead.js serve`);
//   2. picks the first article linked from the home page and snapshots its bytes;
//   3. warm (page cache on): autocannon, 100 connections, 2 s warm-up + 10 s, against the app
//      and against a plain node:http server answering the same bytes (bench/baseline-server.ts),
//      alternately, never both at once; median over the rounds;
//   4. uncached render (PAGE_CACHE=0): 10 connections, 2 s warm-up + 10 s;
//   5. cold start: spawn on the seeded data dir until the first 200 from the article (median of 3);
//   6. page weight: gzipped HTML + gzipped CSS; any <script src>.
//
// Prints a table with the targets and writes bench/results/latest.json. Exits 0 whether or not
// targets are met; non-zero only if something could not be measured.
//
// Tunables (environment): BENCH_ROUNDS (default 2), BENCH_DURATION (s, default 10),
// BENCH_WARMUP (s, default 2).

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import autocannon from 'autocannon';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
// The app is started exactly as `npm start` starts it (package.json), V8 flags included.
const SERVE_FLAGS = (
  JSON.parse(
    fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'package.json'), 'utf8'),
  ) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((a) => a.startsWith('--'));
const NODE = fs.existsSync(path.join(ROOT, 'node_modules/.bin/node'))
  ? path.join(ROOT, 'node_modules/.bin/node')
  : process.execPath;
const HOST = '127.0.0.1';
// Read before this process pins itself to one CPU (which would make it report 1).
const CPUS = os.availableParallelism();

function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
const MIN_ROUNDS = 2;
const MAX_ROUNDS = Math.max(1, Math.round(envNumber('BENCH_ROUNDS', 3)));
/** Extra warm rounds (beyond MIN_ROUNDS) only while the whole run stays within this. */
const TIME_BUDGET_S = envNumber('BENCH_BUDGET', 140);
const DURATION_S = envNumber('BENCH_DURATION', 10);
const WARMUP_S = envNumber('BENCH_WARMUP', 2);
const WARM_CONNECTIONS = 100;
const UNCACHED_CONNECTIONS = 10;
const COLD_START_RUNS = 3;
const SEED_TIMEOUT_MS = 90_000;
const READY_TIMEOUT_MS = 20_000;

const TARGETS = {
  warmRatio: 0.5, // app req/s ≥ 50 % of the baseline's
  uncachedRps: 1000,
  warmP99Ms: 20,
  rssMb: 150,
  coldStartMs: 1500,
  pageWeightKb: 25,
};

const t0 = performance.now();
const log = (msg: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

// ---------------------------------------------------------------------------------------------
// Child processes and cleanup

interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  hasExited: () => boolean;
  output: () => string;
}

const children = new Set<Child>();
let tmpDir: string | null = null;

function cleanupSync(): void {
  for (const c of children) {
    if (!c.hasExited()) {
      try {
        process.kill(c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
  if (tmpDir) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    tmpDir = null;
  }
}

process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`\nbench: interrupted by ${signal}; cleaning up`);
    cleanupSync();
    process.exit(130);
  });
}

const canPin = (() => {
  if (CPUS < 2) return false;
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function spawnChild(name: string, args: string[], env: Record<string, string>): Child {
  const command = canPin ? 'taskset' : NODE;
  const argv = canPin ? ['-c', '0', NODE, ...args] : args;
  const proc = spawn(command, argv, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`could not spawn ${name}`);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-8000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code, signal) => {
      done = true;
      resolve(code ?? (signal ? 128 : null));
    });
    proc.once('error', (err) => {
      keep(Buffer.from(String(err)));
      done = true;
      resolve(null);
    });
  });
  // taskset execs the program, so the pid is the server's own.
  const child: Child = { name, proc, pid: proc.pid, exited, hasExited: () => done, output: () => out };
  children.add(child);
  return child;
}

async function stopChild(c: Child): Promise<void> {
  if (!c.hasExited()) {
    c.proc.kill('SIGTERM');
    const timer = setTimeout(() => c.proc.kill('SIGKILL'), 5000);
    await c.exited;
    clearTimeout(timer);
  }
  children.delete(c);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${url}`)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `url` until it answers 200; returns ms elapsed since `since`. */
async function waitFor200(
  child: Child,
  url: string,
  timeoutMs: number,
  since = performance.now(),
  intervalMs = 10,
): Promise<number> {
  const deadline = since + timeoutMs;
  let last = '';
  while (performance.now() < deadline) {
    if (child.hasExited()) throw new Error(`${child.name} exited before answering ${url}:\n${child.output()}`);
    try {
      const r = await get(url, {}, 10_000);
      if (r.status === 200) return performance.now() - since;
      last = `HTTP ${r.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `${child.name} did not answer 200 at ${url} within ${timeoutMs} ms (last: ${last}):\n${child.output()}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Servers

interface Server {
  child: Child;
  origin: string;
}

async function startApp(
  name: string,
  dataDir: string,
  extraEnv: Record<string, string> = {},
  readyTimeoutMs = READY_TIMEOUT_MS,
): Promise<Server> {
  const port = await freePort();
  const child = spawnChild(name, [...SERVE_FLAGS, 'bin/masthead.js', 'serve'], {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    ...extraEnv,
  });
  const origin = `http://${HOST}:${port}`;
  await waitFor200(child, `${origin}/healthz`, readyTimeoutMs, performance.now(), 50);
  return { child, origin };
}

async function startBaseline(bodyFile: string, contentType: string): Promise<Server> {
  const port = await freePort();
  const child = spawnChild('baseline', ['bench/baseline-server.ts'], {
    BODY_FILE: bodyFile,
    CONTENT_TYPE: contentType,
    PORT: String(port),
  });
  const origin = `http://${HOST}:${port}`;
  await waitFor200(child, `${origin}/`, READY_TIMEOUT_MS, performance.now(), 20);
  return { child, origin };
}

// ---------------------------------------------------------------------------------------------
// Measuring

function readRssMb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** utime + stime of a process in seconds (Linux clock ticks are 100 Hz on every common build). */
function readCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Busy and total clock ticks per CPU line of /proc/stat ("cpu", "cpu0", …). */
function readCpuTicks(): Map<string, { busy: number; total: number }> {
  const out = new Map<string, { busy: number; total: number }>();
  try {
    for (const line of fs.readFileSync('/proc/stat', 'utf8').split('\n')) {
      if (!line.startsWith('cpu')) continue;
      const [name, ...rest] = line.trim().split(/\s+/);
      const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = rest.map(Number);
      const busy = user + nice + system + irq + softirq + steal;
      out.set(name!, { busy, total: busy + idle + iowait });
    }
  } catch {
    // not Linux: no contention figure
  }
  return out;
}

/** % of one core that each CPU line was busy between two readings. */
function busyPct(
  a: Map<string, { busy: number; total: number }>,
  b: Map<string, { busy: number; total: number }>,
  name: string,
  wallS: number,
): number | null {
  const x = a.get(name);
  const y = b.get(name);
  return x && y ? ((y.busy - x.busy) / 100 / wallS) * 100 : null;
}

interface LoadRun {
  target: string;
  connections: number;
  durationS: number;
  rps: number; // mean of per-second samples
  requests: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  peakRssMb: number | null;
  serverCpuPct: number | null;
  loadgenCpuPct: number;
  /**
   * CPU used by everything else on the machine during the run, in % of one core (steal
   * included): on the server's core and on the load generator's when pinned, else in total.
   * High values mean other work competed with the benchmark and its figures are low.
   */
  otherCpuPct: { serverCore: number | null; loadgenCore: number | null; total: number | null };
}

async function load(server: Server, urlPath: string, connections: number, label: string): Promise<LoadRun> {
  const url = `${server.origin}${urlPath}`;
  if (WARMUP_S > 0) await autocannon({ url, connections, duration: WARMUP_S });

  const pid = server.child.pid;
  let peakRss: number | null = null;
  const sample = () => {
    const rss = readRssMb(pid);
    if (rss !== null && (peakRss === null || rss > peakRss)) peakRss = rss;
  };
  const sampler = setInterval(sample, 250);
  const cpu0 = readCpuSeconds(pid);
  const ticks0 = readCpuTicks();
  const own0 = process.cpuUsage();
  const wall0 = performance.now();
  let result: autocannon.Result;
  try {
    result = await autocannon({ url, connections, duration: DURATION_S });
  } finally {
    clearInterval(sampler);
  }
  sample();
  const wallS = (performance.now() - wall0) / 1000;
  const cpu1 = readCpuSeconds(pid);
  const own = process.cpuUsage(own0);
  const ticks1 = readCpuTicks();
  const serverCpuPct = cpu0 !== null && cpu1 !== null ? ((cpu1 - cpu0) / wallS) * 100 : null;
  const loadgenCpuPct = ((own.user + own.system) / 1e6 / wallS) * 100;
  const minus = (busy: number | null, ours: number | null) =>
    busy === null || ours === null ? null : Math.max(0, busy - ours);
  const otherCpuPct = {
    serverCore: canPin ? minus(busyPct(ticks0, ticks1, 'cpu0', wallS), serverCpuPct) : null,
    loadgenCore: canPin ? minus(busyPct(ticks0, ticks1, 'cpu1', wallS), loadgenCpuPct) : null,
    total: minus(busyPct(ticks0, ticks1, 'cpu', wallS), serverCpuPct === null ? null : serverCpuPct + loadgenCpuPct),
  };

  const run: LoadRun = {
    target: label,
    connections,
    durationS: result.duration,
    rps: result.requests.mean,
    requests: result.requests.total,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.mean,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    peakRssMb: peakRss,
    serverCpuPct,
    loadgenCpuPct,
    otherCpuPct,
  };
  log(
    `${label}: ${fmt(run.rps, 0)} req/s, p50 ${fmt(run.latencyP50Ms, 1)} ms, p99 ${fmt(run.latencyP99Ms, 1)} ms, ` +
      `RSS ${fmt(run.peakRssMb, 1)} MB, CPU: server ${fmt(run.serverCpuPct, 0)} %, load generator ${fmt(run.loadgenCpuPct, 0)} %, ` +
      (canPin
        ? `others ${fmt(otherCpuPct.serverCore, 0)} % on CPU 0 / ${fmt(otherCpuPct.loadgenCore, 0)} % on CPU 1`
        : `others ${fmt(otherCpuPct.total, 0)} %`) +
      (run.errors || run.non2xx ? ` — ${run.errors} errors, ${run.non2xx} non-2xx` : ''),
  );
  return run;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function fmt(v: number | null | undefined, digits: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function gzippedSize(url: string): Promise<{ raw: number; gzip: number; servedGzip: boolean }> {
  const r = await get(url, { 'accept-encoding': 'gzip' });
  if (r.status !== 200) throw new Error(`GET ${url}: HTTP ${r.status}`);
  if (r.headers['content-encoding'] === 'gzip') {
    return { raw: zlib.gunzipSync(r.body).length, gzip: r.body.length, servedGzip: true };
  }
  return { raw: r.body.length, gzip: zlib.gzipSync(r.body, { level: 6 }).length, servedGzip: false };
}

// ---------------------------------------------------------------------------------------------
// The run

interface Results {
  startedAt: string;
  environment: Record<string, unknown>;
  articlePath: string | null;
  warm: {
    rounds: { app: LoadRun; baseline: LoadRun }[];
    appRps: number | null;
    baselineRps: number | null;
    /** Median over rounds of app req/s ÷ the same round's baseline req/s. */
    ratio: number | null;
    appP50Ms: number | null;
    appP99Ms: number | null;
    baselineP50Ms: number | null;
    baselineP99Ms: number | null;
    appPeakRssMb: number | null;
  };
  uncached: LoadRun | null;
  coldStart: { runsMs: number[]; medianMs: number | null };
  pageWeight: {
    htmlBytes: number;
    htmlGzipBytes: number;
    cssHref: string | null;
    cssBytes: number;
    cssGzipBytes: number;
    totalGzipKb: number;
    scriptSrcCount: number;
    inlineScriptCount: number;
  } | null;
  targets: typeof TARGETS;
  failures: string[];
}

async function main(): Promise<number> {
  const failures: string[] = [];
  const results: Results = {
    startedAt: new Date().toISOString(),
    environment: {
      node: process.version,
      cpus: CPUS,
      cpuModel: os.cpus()[0]?.model ?? null,
      pinned: canPin ? { servers: 'CPU 0', loadGenerator: 'CPU 1' } : false,
      maxRounds: MAX_ROUNDS,
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      commit: (() => {
        try {
          return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
        } catch {
          return null;
        }
      })(),
    },
    articlePath: null,
    warm: {
      rounds: [],
      appRps: null,
      baselineRps: null,
      ratio: null,
      appP50Ms: null,
      appP99Ms: null,
      baselineP50Ms: null,
      baselineP99Ms: null,
      appPeakRssMb: null,
    },
    uncached: null,
    coldStart: { runsMs: [], medianMs: null },
    pageWeight: null,
    targets: TARGETS,
    failures,
  };

  if (canPin) {
    // The load generator (this process, every thread) on CPU 1; servers go to CPU 0.
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  } else {
    log('not pinning to CPUs (taskset missing or fewer than 2 CPUs): figures are less reliable');
  }

  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-'));
  const dataDir = path.join(tmpDir, 'data');
  const bodyFile = path.join(tmpDir, 'article.html');

  // 1–2, 6: seed, choose the article, snapshot it, weigh it.
  log(`seeding a fresh data dir (${dataDir})…`);
  const seed = await startApp('seeding server', dataDir, {}, SEED_TIMEOUT_MS);
  let articlePath: string;
  let contentType: string;
  try {
    log(`seeded; server ready (${seed.origin})`);
    const home = await get(`${seed.origin}/`);
    if (home.status !== 200) throw new Error(`home page: HTTP ${home.status}`);
    const m = /href="(\/articles\/[^"?#]+)"/.exec(home.body.toString('utf8'));
    if (!m?.[1]) throw new Error('no /articles/ link on the home page');
    articlePath = m[1];
    results.articlePath = articlePath;
    const page = await get(`${seed.origin}${articlePath}`);
    if (page.status !== 200) throw new Error(`${articlePath}: HTTP ${page.status}`);
    contentType = String(page.headers['content-type'] ?? 'text/html; charset=utf-8');
    fs.writeFileSync(bodyFile, page.body);
    log(`article: ${articlePath} (${page.body.length.toLocaleString('en-US')} bytes, ${contentType})`);

    try {
      const html = page.body.toString('utf8');
      const htmlSize = await gzippedSize(`${seed.origin}${articlePath}`);
      const linkTag = /<link\b[^>]*\brel=["']?stylesheet["']?[^>]*>/i.exec(html)?.[0];
      const cssHref = linkTag ? (/\bhref=["']([^"']+)["']/i.exec(linkTag)?.[1] ?? null) : null;
      const cssSize = cssHref
        ? await gzippedSize(new URL(cssHref, seed.origin).href)
        : { raw: 0, gzip: 0, servedGzip: false };
      if (!cssHref) log('warning: no <link rel="stylesheet"> on the article page');
      if (!htmlSize.servedGzip) log('note: the article page was not served gzipped; weighed with local gzip -6');
      results.pageWeight = {
        htmlBytes: htmlSize.raw,
        htmlGzipBytes: htmlSize.gzip,
        cssHref,
        cssBytes: cssSize.raw,
        cssGzipBytes: cssSize.gzip,
        totalGzipKb: (htmlSize.gzip + cssSize.gzip) / 1024,
        scriptSrcCount: (html.match(/<script\b[^>]*\bsrc\s*=/gi) ?? []).length,
        inlineScriptCount: (html.match(/<script\b(?![^>]*\bsrc\s*=)[^>]*>/gi) ?? []).length,
      };
    } catch (err) {
      failures.push(`page weight: ${(err as Error).message}`);
    }
  } finally {
    await stopChild(seed.child);
  }

  // 3. Warm page cache: app and baseline alternately, never both at once.
  // At least MIN_ROUNDS; more (up to MAX_ROUNDS) while the run stays within the time budget.
  const reserveS = WARMUP_S + DURATION_S + 12; // uncached run + cold starts
  let roundS = 0;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const elapsedS = (performance.now() - t0) / 1000;
    if (round > MIN_ROUNDS && elapsedS + roundS + reserveS > TIME_BUDGET_S) {
      log(`skipping warm round ${round}: it would take the run past ${TIME_BUDGET_S} s`);
      break;
    }
    const roundStart = performance.now();
    try {
      const app = await startApp(`app (round ${round})`, dataDir);
      let appRun: LoadRun;
      try {
        appRun = await load(app, articlePath, WARM_CONNECTIONS, `warm app, round ${round}`);
      } finally {
        await stopChild(app.child);
      }
      const base = await startBaseline(bodyFile, contentType);
      let baseRun: LoadRun;
      try {
        baseRun = await load(base, '/', WARM_CONNECTIONS, `baseline, round ${round}`);
      } finally {
        await stopChild(base.child);
      }
      results.warm.rounds.push({ app: appRun, baseline: baseRun });
    } catch (err) {
      failures.push(`warm round ${round}: ${(err as Error).message}`);
    }
    roundS = Math.max(roundS, (performance.now() - roundStart) / 1000);
  }
  const rounds = results.warm.rounds;
  const good = (r: LoadRun) => r.requests > 0 && r.non2xx === 0;
  if (rounds.some((r) => !good(r.app) || !good(r.baseline)))
    failures.push('warm: a run had no requests or non-2xx answers');
  results.warm.appRps = median(rounds.map((r) => r.app.rps));
  results.warm.baselineRps = median(rounds.map((r) => r.baseline.rps));
  // Each app run is paired with the baseline run right after it, under the same machine
  // conditions; the median of those pairs' ratios is steadier than a ratio of medians.
  results.warm.ratio = median(rounds.filter((r) => r.baseline.rps > 0).map((r) => r.app.rps / r.baseline.rps));
  results.warm.appP50Ms = median(rounds.map((r) => r.app.latencyP50Ms));
  results.warm.appP99Ms = median(rounds.map((r) => r.app.latencyP99Ms));
  results.warm.baselineP50Ms = median(rounds.map((r) => r.baseline.latencyP50Ms));
  results.warm.baselineP99Ms = median(rounds.map((r) => r.baseline.latencyP99Ms));
  const rss = rounds.map((r) => r.app.peakRssMb).filter((v): v is number => v !== null);
  results.warm.appPeakRssMb = rss.length ? Math.max(...rss) : null;

  // 4. Uncached render.
  try {
    const app = await startApp('app (PAGE_CACHE=0)', dataDir, { PAGE_CACHE: '0' });
    try {
      results.uncached = await load(app, articlePath, UNCACHED_CONNECTIONS, 'uncached app');
      if (!good(results.uncached)) failures.push('uncached: no requests or non-2xx answers');
    } finally {
      await stopChild(app.child);
    }
  } catch (err) {
    failures.push(`uncached: ${(err as Error).message}`);
  }

  // 5. Cold start on the seeded data dir: spawn → first 200 from the article.
  for (let i = 1; i <= COLD_START_RUNS; i++) {
    try {
      const port = await freePort();
      const started = performance.now();
      const child = spawnChild(`cold start ${i}`, [...SERVE_FLAGS, 'bin/masthead.js', 'serve'], {
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
      });
      try {
        const ms = await waitFor200(child, `http://${HOST}:${port}${articlePath}`, READY_TIMEOUT_MS, started, 10);
        results.coldStart.runsMs.push(ms);
        log(`cold start ${i}: ${fmt(ms, 0)} ms`);
      } finally {
        await stopChild(child);
      }
    } catch (err) {
      failures.push(`cold start ${i}: ${(err as Error).message}`);
    }
  }
  results.coldStart.medianMs = median(results.coldStart.runsMs);

  // Report.
  const w = results.warm;
  const u = results.uncached;
  const pw = results.pageWeight;
  const status = (ok: boolean | null) => (ok === null ? 'NOT MEASURED' : ok ? 'meets' : 'MISSES');
  const rows: [string, string, string, string][] = [
    ['Warm app req/s (100 conn)', fmt(w.appRps, 0), '', ''],
    ['Warm baseline req/s (100 conn)', fmt(w.baselineRps, 0), '', ''],
    [
      'Warm app / baseline (median per round)',
      w.ratio === null ? 'n/a' : `${fmt(w.ratio * 100, 1)} %`,
      `≥ ${TARGETS.warmRatio * 100} %`,
      status(w.ratio === null ? null : w.ratio >= TARGETS.warmRatio),
    ],
    ['Warm app latency p50', `${fmt(w.appP50Ms, 1)} ms`, '', ''],
    [
      'Warm app latency p99',
      `${fmt(w.appP99Ms, 1)} ms`,
      `≤ ${TARGETS.warmP99Ms} ms`,
      status(w.appP99Ms === null ? null : w.appP99Ms <= TARGETS.warmP99Ms),
    ],
    ['Warm baseline latency p50 / p99', `${fmt(w.baselineP50Ms, 1)} / ${fmt(w.baselineP99Ms, 1)} ms`, '', ''],
    [
      'App RSS under load (peak)',
      `${fmt(w.appPeakRssMb, 1)} MB`,
      `≤ ${TARGETS.rssMb} MB`,
      status(w.appPeakRssMb === null ? null : w.appPeakRssMb <= TARGETS.rssMb),
    ],
    [
      'Uncached render req/s (1 core, 10 conn)',
      fmt(u?.rps, 0),
      `≥ ${fmt(TARGETS.uncachedRps, 0)}`,
      status(u ? u.rps >= TARGETS.uncachedRps : null),
    ],
    ['Uncached latency p50 / p99', u ? `${fmt(u.latencyP50Ms, 1)} / ${fmt(u.latencyP99Ms, 1)} ms` : 'n/a', '', ''],
    [
      'Cold start to first article 200 (median)',
      `${fmt(results.coldStart.medianMs, 0)} ms`,
      `≤ ${fmt(TARGETS.coldStartMs, 0)} ms`,
      status(results.coldStart.medianMs === null ? null : results.coldStart.medianMs <= TARGETS.coldStartMs),
    ],
    [
      'Article page weight, gzipped (HTML + CSS)',
      pw
        ? `${fmt(pw.totalGzipKb, 1)} KB (${fmt(pw.htmlGzipBytes / 1024, 1)} + ${fmt(pw.cssGzipBytes / 1024, 1)})`
        : 'n/a',
      `≤ ${TARGETS.pageWeightKb} KB`,
      status(pw ? pw.totalGzipKb <= TARGETS.pageWeightKb : null),
    ],
    [
      '<script src> on the article page',
      pw ? (pw.scriptSrcCount ? String(pw.scriptSrcCount) : 'none') : 'n/a',
      'none',
      status(pw ? pw.scriptSrcCount === 0 : null),
    ],
  ];
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...rows.map((r) => r[i]!.length), ['Metric', 'Result', 'Target', ''][i]!.length),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log('');
  console.log(`Masthead article page benchmark — ${articlePath}`);
  console.log(
    `Node ${process.version}, ${CPUS} CPUs, ${canPin ? 'servers on CPU 0, load generator on CPU 1' : 'not pinned'}; ` +
      `${rounds.length} warm round(s) of ${DURATION_S} s after ${WARMUP_S} s warm-up (median)`,
  );
  console.log('');
  console.log(line(['Metric', 'Result', 'Target', '']));
  console.log(line(widths.map((n) => '-'.repeat(n))));
  for (const r of rows) console.log(line(r));
  console.log('');
  console.log("KB = 1,024 bytes, MB = 1,048,576 bytes; req/s is autocannon's mean of per-second samples.");
  const loadgenMax = Math.max(0, ...rounds.map((r) => r.baseline.loadgenCpuPct));
  if (loadgenMax >= 90) {
    console.log(
      `Note: the load generator used up to ${fmt(loadgenMax, 0)} % of its core against the baseline, so the baseline figure (and the ratio's denominator) may be limited by autocannon rather than the server.`,
    );
  }
  const allRuns = [...rounds.flatMap((r) => [r.app, r.baseline]), ...(u ? [u] : [])];
  const worstOther = Math.max(
    0,
    ...allRuns.map((r) =>
      canPin ? (r.otherCpuPct.serverCore ?? 0) + (r.otherCpuPct.loadgenCore ?? 0) : (r.otherCpuPct.total ?? 0),
    ),
  );
  if (worstOther >= 15) {
    console.log(
      `Note: other processes used up to ${fmt(worstOther, 0)} % of a core during a run (see otherCpuPct in the JSON): the machine was not quiet, figures are pessimistic and noisy.`,
    );
  }
  if (pw && pw.inlineScriptCount)
    console.log(
      `Note: ${pw.inlineScriptCount} inline <script> element(s) (e.g. JSON-LD), none executable from elsewhere.`,
    );

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const ignore = path.join(RESULTS_DIR, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n!.gitignore\n');
  const out = path.join(RESULTS_DIR, 'latest.json');
  fs.writeFileSync(
    out,
    `${JSON.stringify({ ...results, finishedAt: new Date().toISOString(), elapsedS: (performance.now() - t0) / 1000 }, null, 2)}\n`,
  );
  console.log(`Results written to ${path.relative(process.cwd(), out) || out}`);

  const unmeasured = rows.filter((r) => r[3] === 'NOT MEASURED').map((r) => r[0]);
  if (failures.length || unmeasured.length) {
    console.error('\nbench: some figures could not be measured:');
    for (const f of failures) console.error(`  - ${f}`);
    for (const m of unmeasured) console.error(`  - ${m}`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(`bench: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
} finally {
  // Every child is stopped by now unless something threw; make sure, and remove the temp dir.
  await Promise.all([...children].map((c) => stopChild(c)));
  cleanupSync();
}
