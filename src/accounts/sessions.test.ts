import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '#lib/clock.ts';
import { createTestDb, dialects, type TestDb } from '#test/db.ts';
import { addStaff, resolveSession, signIn, type AccountsDeps } from './service.ts';

const PASSWORD = 'a long passphrase about lighthouses';

for (const dialect of dialects) {
  describe(`staff session lifetime on ${dialect}`, () => {
    let t: TestDb;
    let deps: AccountsDeps;
    const clock = fixedClock('2026-11-02T08:00:00Z');
    before(async () => {
      t = await createTestDb(dialect);
      deps = { db: t.db, clock, publicationName: async () => 'The Test Gazette' };
      await addStaff(deps, null, {
        email: 'writer@news.example.test',
        name: 'Wren Writer',
        role: 'author',
        password: PASSWORD,
      });
    });
    after(() => t.cleanup());

    test('a session idle for 12 hours ends', async () => {
      clock.set('2026-11-02T08:00:00Z');
      const { token } = await signIn(deps, { email: 'writer@news.example.test', password: PASSWORD, ip: '192.0.2.1' });
      clock.advance(11 * 3_600_000 + 59 * 60_000);
      assert.ok(await resolveSession(deps, token), 'still valid just under 12 hours idle');
      clock.advance(12 * 3_600_000 + 60_000);
      assert.equal(await resolveSession(deps, token), null);
      clock.advance(-12 * 3_600_000);
      assert.equal(await resolveSession(deps, token), null, 'and it is gone for good');
    });

    test('a session in constant use still ends after 7 days', async () => {
      clock.set('2026-11-10T08:00:00Z');
      const { token } = await signIn(deps, { email: 'writer@news.example.test', password: PASSWORD, ip: '192.0.2.2' });
      for (let h = 0; h < 7 * 24 - 2; h += 2) {
        clock.advance(2 * 3_600_000);
        assert.ok(await resolveSession(deps, token), `valid after ${h + 2} hours of use`);
      }
      clock.advance(3 * 3_600_000);
      assert.equal(await resolveSession(deps, token), null);
    });

    test('garbage tokens are refused without a lookup error', async () => {
      for (const token of [undefined, '', 'x', 'a'.repeat(43) + '!', 'a'.repeat(1000), 42])
        assert.equal(await resolveSession(deps, token), null);
    });
  });
}
