// Markup every reader page shares: landmarks, meta descriptions, captions and credits.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '#test/app.ts';
import { makeArticle } from '#test/factories.ts';

describe('reader page markup', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite');
  });
  after(() => t.close());

  test('the support banner sits inside the header landmark', async () => {
    const a = await makeArticle(t.app.masthead.articles);
    const body = (await t.app.inject(`/articles/${a.slug}`)).body;
    const header = /<header class="site-header">([\s\S]*?)<\/header>/.exec(body)?.[1] ?? '';
    assert.match(header, /class="support-banner"/);
    assert.equal(body.match(/class="support-banner"/g)?.length, 1);
  });

  test('caption and credit are separate lines, never one run-on sentence', async () => {
    const a = await makeArticle(t.app.masthead.articles);
    const body = (await t.app.inject(`/articles/${a.slug}`)).body;
    assert.match(
      body,
      /<figcaption><p class="caption">A caption for the test image<\/p><p class="credit">Photo: Test Photographer \/ Agency<\/p><\/figcaption>/,
    );
  });

  test('the newsletter and support pages have a meta description', async () => {
    for (const path of ['/newsletter', '/support']) {
      const body = (await t.app.inject(path)).body;
      const description = /<meta name="description" content="([^"]+)">/.exec(body)?.[1];
      assert.ok(description && description.length > 20, path);
    }
  });
});
