import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publishPrivacyPolicy, updateSettings } from '#settings';
import { createTestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';

for (const dialect of dialects) {
  test(`/privacy shows the current policy version; the footer links it and the social accounts (${dialect})`, async () => {
    const t = await createTestApp(dialect);
    try {
      assert.equal((await t.app.inject('/privacy')).statusCode, 404);
      // Without a policy nothing links to the 404, and the signup form asks no one to agree to it.
      for (const path of ['/', '/newsletter']) {
        const body = (await t.app.inject(path)).body;
        assert.doesNotMatch(body, /href="\/privacy"/, path);
        assert.doesNotMatch(body, /agree to the/, path);
      }
      await publishPrivacyPolicy(t.app.masthead.settings, null, 'We keep **nothing** about readers.');
      assert.match((await t.app.inject('/newsletter')).body, /agree to the <a href="\/privacy">Privacy Policy<\/a>/);
      const first = await t.app.inject('/privacy');
      assert.equal(first.statusCode, 200);
      assert.match(first.body, /<strong>nothing<\/strong>/);
      await publishPrivacyPolicy(
        t.app.masthead.settings,
        null,
        'Version two: still **nothing**, <script>alert(1)</script>.',
      );
      const second = await t.app.inject('/privacy');
      assert.match(second.body, /Version two/);
      assert.doesNotMatch(second.body, /<script>alert/);
      await updateSettings(t.app.masthead.settings, { social: { mastodon: 'https://mastodon.example/@news' } });
      const home = (await t.app.inject('/')).body;
      assert.match(home, /<a href="\/privacy">Privacy policy<\/a>/);
      assert.match(home, /<a href="https:\/\/mastodon.example\/@news" rel="me noopener">Mastodon<\/a>/);
    } finally {
      await t.close();
    }
  });
}
