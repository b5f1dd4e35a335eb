import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults give a SQLite database under ./data and port 3000', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.host, 'localhost');
  assert.deepEqual(c.database, { kind: 'sqlite', file: path.resolve('data', 'masthead.db') });
  assert.equal(c.pageCache.enabled, true);
});

test('DATABASE_URL chooses PostgreSQL; DATA_DIR moves files', () => {
  const c = loadConfig({
    DATABASE_URL: 'postgres://u@db:5432/news',
    DATA_DIR: '/srv/masthead',
    PG_POOL_MAX: '4',
    PG_STATEMENT_TIMEOUT_MS: '2000',
  });
  assert.deepEqual(c.database, {
    kind: 'postgres',
    url: 'postgres://u@db:5432/news',
    poolMax: 4,
    connectTimeoutMs: 5000,
    statementTimeoutMs: 2000,
  });
  assert.throws(() => loadConfig({ PG_STATEMENT_TIMEOUT_MS: '0' }), /PG_STATEMENT_TIMEOUT_MS/);
  assert.equal(c.mediaDir, path.join('/srv/masthead', 'media'));
});

test('every invalid key is reported at once', () => {
  try {
    loadConfig({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      BASE_URL: 'ftp://x',
      PAGE_CACHE: 'maybe',
      LOG_LEVEL: 'loud',
    });
    assert.fail('should have thrown');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    const keys = err.issues.map((i) => i.split(':')[0]).sort();
    assert.deepEqual(keys, ['BASE_URL', 'DATABASE_URL', 'LOG_LEVEL', 'PAGE_CACHE', 'PORT']);
  }
});

test('BASE_URL follows the site address rule: normal form kept, anything else refused', () => {
  assert.equal(loadConfig({ BASE_URL: 'HTTPS://News.Example.ORG/local/' }).baseUrl, 'https://news.example.org/local');
  for (const bad of ['https://news.example.org/"x', 'https://a:b@news.example.org', 'https://news.example.org/?a=1']) {
    assert.throws(() => loadConfig({ BASE_URL: bad }), /BASE_URL/, bad);
  }
});

test('empty values count as unset', () => {
  assert.equal(loadConfig({ PORT: '' }).port, 3000);
});
