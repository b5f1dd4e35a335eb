// The revenue dashboard and the ledger export, from ledger rows written directly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '#lib/clock.ts';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeStaff, signedIn } from '#test/newsroom.ts';
import { csvCell } from './revenue-routes.ts';

const NOW = '2026-11-27T09:00:00.000Z';

test('CSV cells are quoted when needed and never start a formula', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('=HYPERLINK("http://evil.example")'), `"'=HYPERLINK(""http://evil.example"")"`);
  assert.equal(csvCell('+1'), "'+1");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell(-500), '-500');
  assert.equal(csvCell(null), '');
});

for (const dialect of dialects) {
  describe(`revenue dashboard on ${dialect}`, () => {
    let t: TestApp;

    before(async () => {
      t = await createTestApp(dialect, { clock: fixedClock(NOW) });
      const k = t.testDb.db.kysely;
      const supporter = async (n: number) =>
        (
          await k
            .insertInto('supporters')
            .values({
              provider: 'test',
              provider_customer_id: `cus_${n}`,
              email: `giver${n}@example.org`,
              created_at: NOW,
              erased_at: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      const a = await supporter(1);
      const b = await supporter(2);
      const c = await supporter(3);
      const plan = async (
        sid: number,
        frequency: 'month' | 'year',
        amount: number,
        currency: string,
        status: 'active' | 'canceled',
        canceledAt: string | null,
      ) =>
        (
          await k
            .insertInto('recurring_plans')
            .values({
              provider: 'test',
              provider_subscription_id: `sub_${sid}_${frequency}`,
              supporter_id: sid,
              status,
              frequency,
              amount,
              currency,
              next_renewal_at: null,
              canceled_at: canceledAt,
              created_at: NOW,
              updated_at: NOW,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      const monthly = await plan(a, 'month', 500, 'USD', 'active', null);
      const annual = await plan(b, 'year', 6000, 'USD', 'active', null);
      await plan(c, 'month', 300, 'EUR', 'canceled', '2026-11-10T00:00:00.000Z');
      let n = 0;
      const pay = async (
        sid: number,
        planId: number | null,
        frequency: 'once' | 'month' | 'year',
        amount: number,
        currency: string,
        at: string,
        kind: 'payment' | 'refund' = 'payment',
      ) => {
        n++;
        await k
          .insertInto('payments')
          .values({
            provider: 'test',
            provider_object_id: n === 3 ? '=cmd|calc' : `obj_${n}`,
            kind,
            supporter_id: sid,
            plan_id: planId,
            frequency,
            amount,
            currency,
            occurred_at: at,
            created_at: NOW,
          })
          .execute();
      };
      await pay(a, monthly, 'month', 500, 'USD', '2026-10-05T10:00:00.000Z');
      await pay(a, monthly, 'month', 500, 'USD', '2026-11-05T10:00:00.000Z');
      await pay(b, annual, 'year', 6000, 'USD', '2026-11-06T10:00:00.000Z');
      await pay(b, null, 'once', 2500, 'USD', '2026-11-07T10:00:00.000Z');
      await pay(b, null, 'once', -1000, 'USD', '2026-11-08T10:00:00.000Z', 'refund');
      await pay(c, null, 'once', 1000, 'EUR', '2026-09-01T10:00:00.000Z');
    });
    after(() => t.close());

    test('admins see recurring revenue, money by month and currency, new and cancelled', async () => {
      const admin = await signedIn(t.app, await makeStaff(t.app, 'admin'));
      const res = await admin.get('/newsroom/revenue');
      assert.equal(res.statusCode, 200);
      // 500 monthly + 6000/12 annual = $10 MRR, from one monthly and one annual plan.
      assert.match(
        res.body,
        /<strong>\$10<\/strong>monthly recurring revenue in USD <span class="nr-hint">1 monthly, 1 annual<\/span>/,
      );
      assert.doesNotMatch(
        res.body,
        /monthly recurring revenue in EUR/,
        'the cancelled EUR plan is not recurring revenue',
      );
      // November USD: one-time 25 − 10 refunded = 15; recurring 5 + 60 = 65; new supporter: b (a started in October).
      assert.match(
        res.body,
        /<th scope="row">Nov 2026<\/th><td>\$15<\/td><td>\$65<\/td><td>\$80<\/td><td>1<\/td><td>0<\/td>/,
      );
      assert.match(
        res.body,
        /<th scope="row">Oct 2026<\/th><td>\$0<\/td><td>\$5<\/td><td>\$5<\/td><td>1<\/td><td>0<\/td>/,
      );
      // EUR: a September gift from a supporter whose plan was cancelled in November.
      assert.match(
        res.body,
        /<th scope="row">Sept 2026<\/th><td>€10<\/td><td>€0<\/td><td>€10<\/td><td>1<\/td><td>0<\/td>/,
      );
      assert.match(
        res.body,
        /<th scope="row">Nov 2026<\/th><td>€0<\/td><td>€0<\/td><td>€0<\/td><td>0<\/td><td>1<\/td>/,
      );
      assert.equal((res.body.match(/<svg viewBox/g) ?? []).length, 4, 'two charts per currency');
      assert.doesNotMatch(res.body, /@example\.org/, 'no supporter addresses');
      assert.doesNotMatch(res.body, /ledger\.csv/, 'only owners may export');
      assert.match(res.body, /TEST MODE — no money moves/);
      assert.equal((await admin.get('/newsroom/revenue/ledger.csv')).statusCode, 403);
    });

    test('owners export the ledger as CSV; the export is audit-logged', async () => {
      const owner = await signedIn(t.app, await makeStaff(t.app, 'owner'));
      const page = await owner.get('/newsroom/revenue');
      assert.match(page.body, /href="\/newsroom\/revenue\/ledger\.csv"/);
      const res = await owner.get('/newsroom/revenue/ledger.csv');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="ledger-2026-11-27\.csv"/);
      const lines = res.body.trim().split('\r\n');
      assert.equal(
        lines[0],
        'id,occurred_at,kind,frequency,amount,currency,provider,provider_object_id,supporter_id,plan_id',
      );
      assert.equal(lines.length, 7);
      assert.match(lines[5] ?? '', /,refund,once,-10\.00,USD,test,obj_5,/);
      assert.match(lines[3] ?? '', /,'=cmd\|calc,/, 'a formula-looking id is defused');
      assert.doesNotMatch(res.body, /@/);
      const audit = await t.testDb.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'support.ledger_exported')
        .execute();
      assert.equal(audit.length, 1);
    });

    test('editors and below are refused', async () => {
      for (const role of ['editor', 'author', 'contributor'] as const) {
        const b = await signedIn(t.app, await makeStaff(t.app, role));
        assert.equal((await b.get('/newsroom/revenue')).statusCode, 403);
        assert.equal((await b.get('/newsroom/revenue/ledger.csv')).statusCode, 403);
      }
    });
  });
}
