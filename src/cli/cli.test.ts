import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const bin = path.resolve(import.meta.dirname, '../../bin/masthead.js');

function run(args: string[], env: Record<string, string> = {}, input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
    ...(input !== undefined ? { input } : {}),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('help and usage errors', () => {
  const help = run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /Usage: masthead <command>/);
  const none = run([]);
  assert.equal(none.code, 2);
  const bad = run(['explode']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown command "explode"/);
  const badFlag = run(['migrate', '--frobnicate']);
  assert.equal(badFlag.code, 2);
  assert.equal(run(['seed']).code, 2);
});

test('invalid configuration lists every key and exits 78', () => {
  const r = run(['migrate'], { PORT: 'x', DATABASE_URL: 'mysql://nope' });
  assert.equal(r.code, 78);
  assert.match(r.err, /PORT/);
  assert.match(r.err, /DATABASE_URL/);
});

test('migrate, status and demo seed are idempotent', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-cli-'));
  try {
    const env = { DATA_DIR: dir };
    const first = run(['migrate'], env);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /applied: 0001-initial/);
    assert.match(run(['migrate'], env).out, /up to date/);
    assert.match(run(['migrate', '--status'], env).out, /pending: \(none\)/);
    const seeded = run(['seed', '--demo'], env);
    assert.equal(seeded.code, 0, seeded.err);
    assert.match(seeded.out, /seeded the demo publication \(14 articles\)/);
    const again = run(['seed', '--demo'], env);
    assert.equal(again.code, 0);
    assert.match(again.out, /already has content/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('create-owner makes the first owner once and refuses weak passwords', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-cli-'));
  try {
    const env = { DATA_DIR: dir };
    assert.equal(run(['create-owner', '--email', 'o@news.example.test'], env).code, 2);
    const weak = run(
      ['create-owner', '--email', 'o@news.example.test', '--name', 'Olga', '--password-stdin'],
      env,
      'password123\n',
    );
    assert.equal(weak.code, 1);
    assert.match(weak.err, /password/i);
    const ok = run(
      ['create-owner', '--email', 'o@news.example.test', '--name', 'Olga', '--password-stdin'],
      env,
      'a long and unusual passphrase for olga\n',
    );
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /created the owner o@news.example.test/);
    const again = run(
      ['create-owner', '--email', 'p@news.example.test', '--name', 'Pat', '--password-stdin'],
      env,
      'another long and unusual passphrase\n',
    );
    assert.equal(again.code, 1);
    assert.match(again.err, /already has an owner/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker process lowers its own CPU priority, as configured', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-cli-'));
  try {
    assert.equal(run(['migrate'], { DATA_DIR: dir }).code, 0);
    for (const [setting, expected] of [
      [undefined, 10],
      ['15', 15],
    ] as const) {
      const env = {
        PATH: process.env.PATH ?? '',
        DATA_DIR: dir,
        LOG_LEVEL: 'info',
        ...(setting ? { WORKER_NICENESS: setting } : {}),
      };
      const child = spawn(process.execPath, [bin, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        let out = '';
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`worker did not start: ${out}`)), 30_000);
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('worker started')) {
              clearTimeout(timer);
              resolve();
            }
          });
          child.on('exit', (code) => reject(new Error(`worker exited with ${code}: ${out}`)));
        });
        assert.ok(child.pid);
        const want = Math.max(expected, os.getPriority());
        assert.equal(os.getPriority(child.pid), want);
        // Every thread, V8's garbage-collection helpers included (Linux keeps one per thread).
        if (fs.existsSync(`/proc/${child.pid}/task`)) {
          const tids = fs.readdirSync(`/proc/${child.pid}/task`).map(Number);
          assert.ok(tids.length > 1, 'Node runs helper threads');
          for (const tid of tids) assert.equal(os.getPriority(tid), want, `thread ${tid}`);
        }
      } finally {
        child.kill('SIGKILL');
      }
    }
    assert.equal(
      run(['worker'], { DATA_DIR: dir, WORKER_NICENESS: '20' }).code,
      78,
      'niceness above 19 is a configuration error',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
