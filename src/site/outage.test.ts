import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { buildApp } from '#app';
import { openDatabase } from '#db';
import { testConfig } from '#test/app.ts';
import { createTestDb, dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';
import { startTcpProxy } from '#test/tcp-proxy.ts';

// What readers and operators see when the database stops answering or cannot serve:
// cached pages go on, uncached ones answer 503 with Retry-After (never a 500, never a
// request that hangs), liveness stays up and readiness says no, without details.

describe('a frozen PostgreSQL', { skip: !dialects.includes('postgres') }, () => {
  test('cached pages keep serving; uncached pages answer 503 with Retry-After; readyz says no until it thaws', async () => {
    const t = await createTestDb('postgres');
    const target = t.target;
    assert.equal(target.kind, 'postgres');
    const url = new URL(target.url);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const db = openDatabase({
      kind: 'postgres',
      url: url.toString(),
      poolMax: 4,
      connectTimeoutMs: 500,
      statementTimeoutMs: 500,
    });
    const app = await buildApp({ config: testConfig(t.dir), db, closeDb: true, logger: false });
    try {
      const a = await makeArticle(app.masthead.articles, { withImage: false });
      const b = await makeArticle(app.masthead.articles, { withImage: false });
      // The writes above reach the page cache through the change feed, a moment later: render
      // the page until it stays cached.
      for (let i = 0; i < 50 && !app.masthead.pageCache.get(`article:${a.slug}`); i++) {
        assert.equal((await app.inject(`/articles/${a.slug}`)).statusCode, 200);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(app.masthead.pageCache.get(`article:${a.slug}`), 'the page is cached');

      proxy.freeze();
      const cached = await app.inject(`/articles/${a.slug}`);
      assert.equal(cached.statusCode, 200, 'a cached page is served without the database');
      const uncached = await app.inject(`/articles/${b.slug}`);
      assert.equal(uncached.statusCode, 503);
      assert.equal(uncached.headers['retry-after'], '30');
      assert.equal(uncached.headers['cache-control'], 'no-store');
      assert.doesNotMatch(uncached.body, /timeout|postgres|\n\s+at /i);
      const search = await app.inject('/search?q=headline');
      assert.equal(search.statusCode, 503);
      assert.equal((await app.inject('/healthz')).statusCode, 200, 'the process itself is alive');
      const ready = await app.inject('/readyz');
      assert.equal(ready.statusCode, 503);
      assert.deepEqual(ready.json(), { status: 'unavailable' });

      proxy.thaw();
      let back = 0;
      for (let i = 0; i < 50 && back !== 200; i++) {
        back = (await app.inject('/readyz')).statusCode;
        if (back !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(back, 200, 'ready again once the database answers');
      assert.equal((await app.inject(`/articles/${b.slug}`)).statusCode, 200);
    } finally {
      proxy.thaw();
      await app.close();
      await proxy.close();
      await t.cleanup();
    }
  });
});

for (const dialect of dialects) {
  describe(`readiness on ${dialect}`, () => {
    test('readyz says no while migrations are pending or the media directory cannot be written', async () => {
      const t = await createTestDb(dialect);
      const config = testConfig(t.dir);
      const app = await buildApp({ config, db: t.db, logger: false });
      try {
        assert.equal((await app.inject('/readyz')).statusCode, 200);

        fs.mkdirSync(path.dirname(config.mediaDir), { recursive: true });
        fs.rmSync(config.mediaDir, { recursive: true, force: true });
        fs.writeFileSync(config.mediaDir, 'not a directory');
        const noMedia = await app.inject('/readyz');
        assert.equal(noMedia.statusCode, 503);
        assert.deepEqual(noMedia.json(), { status: 'unavailable' });
        fs.rmSync(config.mediaDir);
        assert.equal((await app.inject('/readyz')).statusCode, 200);

        const last = await t.db.kysely
          .selectFrom('schema_migrations')
          .select('id')
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        await t.db.kysely.deleteFrom('schema_migrations').where('id', '=', last.id).execute();
        assert.equal((await app.inject('/readyz')).statusCode, 503);
      } finally {
        await app.close();
        await t.cleanup();
      }
    });
  });
}
