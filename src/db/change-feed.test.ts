import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createTestDb, dialects, type TestDb } from '#test/db.ts';
import { createChangeFeed } from './change-feed.ts';
import { openDatabase } from './connection.ts';
import { bumpContentVersion } from './content-version.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const dialect of dialects) {
  describe(`change feed on ${dialect}`, () => {
    const dbs: TestDb[] = [];
    after(async () => {
      for (const t of dbs) await t.cleanup();
    });

    test('a change committed by another process reaches this one; no change, no signal', async () => {
      const t = await createTestDb(dialect);
      dbs.push(t);
      // A second connection stands for another process on the same database (a `masthead worker`).
      const other = openDatabase(t.target);
      const feed = await createChangeFeed(t.db, { pollMs: 50 });
      let heard = 0;
      feed.subscribe(() => heard++);
      try {
        await sleep(300);
        assert.equal(heard, 0, 'nothing changed, nothing heard');
        await bumpContentVersion(other.kysely, new Date().toISOString());
        const end = Date.now() + 5000;
        while (heard === 0 && Date.now() < end) await sleep(20);
        assert.ok(heard >= 1, 'the other process’s change was heard');
        const after = heard;
        await sleep(300);
        assert.equal(heard, after, 'heard once per change, not on every poll');
      } finally {
        await feed.close();
        await other.close();
      }
    });

    test('a change published here is heard at once', async () => {
      const t = await createTestDb(dialect);
      dbs.push(t);
      const feed = await createChangeFeed(t.db, { pollMs: 60_000 });
      let heard = 0;
      feed.subscribe(() => heard++);
      feed.publish();
      assert.equal(heard, 1);
      await feed.close();
    });
  });
}
