import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isAppError } from '#lib/errors.ts';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import {
  getCurrentPrivacyPolicy,
  getSettings,
  privacyPolicyPage,
  publishPrivacyPolicy,
  saveSettings,
  updateSettings,
} from './index.ts';

const contentVersion = async (t: TestApp) =>
  (
    await t.testDb.db.kysely
      .selectFrom('site_state')
      .select('content_version')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow()
  ).content_version;

for (const dialect of dialects) {
  describe(`settings service on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('time zones: IANA names only, stored as Intl resolves them', async () => {
      const deps = t.app.masthead.settings;
      assert.equal((await updateSettings(deps, { timeZone: 'utc' })).timeZone, 'UTC');
      assert.equal((await updateSettings(deps, { timeZone: 'Europe/Riga' })).timeZone, 'Europe/Riga');
      for (const bad of ['+01:00', 'Mars/Olympus', '', 'Europe/Riga; drop table settings']) {
        await assert.rejects(
          updateSettings(deps, { timeZone: bad }),
          (err) => isAppError(err) && err.code === 'SETTINGS_INVALID' && err.status === 400,
          bad,
        );
      }
    });

    test('saving unchanged values writes nothing and leaves cached pages alone', async () => {
      const deps = t.app.masthead.settings;
      await updateSettings(deps, { name: 'Same Name' });
      const v = await contentVersion(t);
      const r = await saveSettings(deps, { name: '  Same Name  ' });
      assert.deepEqual(r.changed, []);
      assert.equal(await contentVersion(t), v);
      assert.deepEqual((await saveSettings(deps, { tagline: 'New' })).changed, ['tagline']);
      assert.equal(await contentVersion(t), v + 1);
    });

    test('a stored value that no longer validates falls back to its default alone', async () => {
      const deps = t.app.masthead.settings;
      await updateSettings(deps, { name: 'Kept Name' });
      await t.testDb.db.kysely
        .updateTable('settings')
        .set({ value: JSON.stringify('Not/AZone') })
        .where('key', '=', 'timeZone')
        .execute();
      const s = await getSettings(deps);
      assert.equal(s.timeZone, 'UTC');
      assert.equal(s.name, 'Kept Name');
    });

    test('privacy policy: racing publishers never share a version number', async () => {
      const deps = t.app.masthead.settings;
      const results = await Promise.allSettled([
        publishPrivacyPolicy(deps, null, 'Text A'),
        publishPrivacyPolicy(deps, null, 'Text B'),
        publishPrivacyPolicy(deps, null, 'Text C'),
      ]);
      for (const r of results)
        if (r.status === 'rejected')
          assert.ok(
            isAppError(r.reason) && r.reason.code === 'SETTINGS_PRIVACY_CONFLICT' && r.reason.status === 409,
            String(r.reason),
          );
      const versions = (
        await t.testDb.db.kysely.selectFrom('privacy_policies').select('version').orderBy('version').execute()
      ).map((r) => r.version);
      assert.deepEqual(
        versions,
        versions.map((_, i) => i + 1),
      );
      assert.ok(versions.length >= 1);
    });

    test('the public page content: sanitised body, version and date in the publication’s zone', async () => {
      const deps = t.app.masthead.settings;
      await publishPrivacyPolicy(
        deps,
        null,
        'We **never** sell data. <a href="javascript:alert(1)">x</a><iframe src="https://evil.example"></iframe>',
      );
      const policy = await getCurrentPrivacyPolicy(deps);
      assert.ok(policy);
      const page = privacyPolicyPage(
        { ...policy, publishedAt: '2026-03-01T23:30:00.000Z' },
        { name: 'Courier', language: 'en', timeZone: 'Europe/Riga' },
      );
      const main = page.main.toString();
      assert.match(main, /<strong>never<\/strong>/);
      assert.doesNotMatch(main, /javascript:|<iframe/);
      assert.match(
        main,
        new RegExp(
          `Version ${policy.version}, in force since <time datetime="2026-03-01T23:30:00.000Z">March 2, 2026</time>`,
        ),
      );
      assert.equal(page.title, 'Privacy policy');
    });
  });
}
