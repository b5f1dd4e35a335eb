// `masthead support reconcile` as a real process, on every dialect: missed test-provider events are applied once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { createTestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { postForm } from '#test/newsletter.ts';
import { postCheckout } from '#test/donations.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/masthead.js');

for (const dialect of dialects) {
  test(`support reconcile applies events the webhook never received (${dialect})`, async () => {
    const t = await createTestApp(dialect);
    try {
      // A gift whose webhooks were never delivered: no worker runs in this process.
      const res = await postCheckout(t.app, { frequency: 'month', currency: 'EUR', amount_month: '700' });
      assert.equal(
        (await postForm(t.app, String(res.headers.location), { email: 'late@example.org' })).statusCode,
        303,
      );
      const k = t.testDb.db.kysely;
      assert.equal((await k.selectFrom('payments').selectAll().execute()).length, 0);
      const url = t.testDb.target.kind === 'sqlite' ? `file:${t.testDb.target.file}` : t.testDb.target.url;
      const env = {
        PATH: process.env.PATH ?? '',
        DATA_DIR: path.join(t.testDb.dir, 'cli'),
        DATABASE_URL: url,
        LOG_LEVEL: 'silent',
      };
      const run = () =>
        spawnSync(process.execPath, [bin, 'support', 'reconcile', '--days', '2'], {
          env,
          encoding: 'utf8',
          timeout: 60_000,
        });
      const first = run();
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, /test provider: 3 events in the last 2 days; 3 missed and now applied/);
      const rows = await k.selectFrom('payments').selectAll().execute();
      assert.deepEqual(
        rows.map((r) => [r.amount, r.currency, r.frequency]),
        [[700, 'EUR', 'month']],
      );
      assert.equal((await k.selectFrom('recurring_plans').selectAll().execute())[0]?.status, 'active');
      const second = run();
      assert.match(second.stdout, /0 missed and now applied, 3 already recorded/);
      assert.equal((await k.selectFrom('payments').selectAll().execute()).length, 1);
      assert.equal(
        spawnSync(process.execPath, [bin, 'support', 'reconcile', '--days', 'x'], { env, encoding: 'utf8' }).status,
        2,
      );
    } finally {
      await t.close();
    }
  });
}
