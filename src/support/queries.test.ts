// The plan mirror keeps the newest provider view, whatever order writes land in (both dialects).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDb, dialects } from '#test/db.ts';
import * as q from './queries.ts';

for (const dialect of dialects) {
  test(`a plan view fetched earlier never overwrites a later one (${dialect})`, async () => {
    const t = await createTestDb(dialect);
    try {
      const k = t.db.kysely;
      const base = {
        provider: 'stripe',
        subscriptionId: 'sub_1',
        supporterId: null,
        frequency: 'month' as const,
        currency: 'USD',
        nextRenewalAt: null,
        canceledAt: null,
      };
      const id = await q.upsertPlan(k, {
        ...base,
        status: 'canceled',
        amount: 500,
        canceledAt: '2026-11-28T10:00:02.000Z',
        now: '2026-11-28T10:00:02.000Z',
      });
      // An older view (fetched before the cancellation) arrives last: ignored, same id returned.
      assert.equal(
        await q.upsertPlan(k, { ...base, status: 'active', amount: 500, now: '2026-11-28T10:00:01.000Z' }),
        id,
      );
      let row = await k.selectFrom('recurring_plans').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.status, 'canceled');
      // A newer view wins.
      await q.upsertPlan(k, { ...base, status: 'active', amount: 700, now: '2026-11-28T10:00:03.000Z' });
      row = await k.selectFrom('recurring_plans').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual([row.status, row.amount], ['active', 700]);
    } finally {
      await t.cleanup();
    }
  });
}
