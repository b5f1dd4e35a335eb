import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fromDbJson } from '#db';
import { getCurrentPrivacyPolicy, getSettings, listPrivacyPolicyVersions } from '#settings';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeStaff, signedIn } from '#test/newsroom.ts';
import { uploadImage } from '#articles';
import { testImage } from '#test/factories.ts';

const VALID = {
  name: 'The Riverside Courier',
  tagline: 'News from both banks',
  description: 'An independent newsroom on the river.',
  language: 'en-GB',
  timeZone: 'Europe/Riga',
  baseUrl: 'https://courier.example.org/',
  'social.mastodon': 'https://mastodon.example/@courier',
  'social.bluesky': '',
  'social.telegram': '',
  'social.x': '',
  'social.facebook': '',
  'social.instagram': '',
  'social.youtube': 'https://www.youtube.com/@courier',
};

for (const dialect of dialects) {
  describe(`newsroom settings on ${dialect}`, () => {
    let t: TestApp;
    const auditRows = (action: string) =>
      t.testDb.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('an admin saves the settings: shown on the public site, audited by key name only', async () => {
      const admin = await makeStaff(t.app, 'admin');
      const b = await signedIn(t.app, admin);
      assert.match((await t.app.inject('/')).body, /<a class="brand" href="\/">Masthead<\/a>/);
      const form = await b.get('/newsroom/settings');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /<option selected>UTC<\/option>/);
      const saved = await b.post('/newsroom/settings', VALID);
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/newsroom/settings?saved=1');
      const shown = await b.get('/newsroom/settings?saved=1');
      assert.match(shown.body, /class="nr-flash" role="status">Settings saved\./);
      assert.match(shown.body, /value="The Riverside Courier"/);
      assert.match(shown.body, /<option selected>Europe\/Riga<\/option>/);
      assert.match(
        shown.body,
        /id="social\.mastodon" name="social\.mastodon" value="https:\/\/mastodon\.example\/@courier"/,
      );

      const home = await t.app.inject('/');
      assert.match(home.body, /<a class="brand" href="\/">The Riverside Courier<\/a>/);
      assert.match(home.body, /<html lang="en-GB">/);
      assert.match(
        home.body,
        /href="https:\/\/courier\.example\.org\/"/,
        'the base URL, without its trailing slash, makes the canonical link',
      );

      const s = await getSettings(t.app.masthead.settings);
      assert.deepEqual(s.social, {
        mastodon: 'https://mastodon.example/@courier',
        youtube: 'https://www.youtube.com/@courier',
      });
      const [row, ...more] = await auditRows('settings.changed');
      assert.equal(more.length, 0);
      assert.equal(row?.actor_id, admin.id);
      const detail = fromDbJson<{ keys: string[] }>(row?.detail, { keys: [] });
      assert.deepEqual([...detail.keys].sort(), [
        'baseUrl',
        'description',
        'language',
        'name',
        'social.mastodon',
        'social.youtube',
        'tagline',
        'timeZone',
      ]);
      assert.doesNotMatch(JSON.stringify(detail), /Riverside|mastodon\.example/);

      // Saving the same values again changes nothing and writes no audit row.
      assert.equal((await b.post('/newsroom/settings', VALID)).headers.location, '/newsroom/settings?saved=0');
      assert.equal((await auditRows('settings.changed')).length, 1);
    });

    test('a logo from the media library replaces the name in the masthead; a wrong number is a field error', async () => {
      const admin = await makeStaff(t.app, 'admin');
      const b = await signedIn(t.app, admin);
      const mediaId = await uploadImage(t.app.masthead.articles, await testImage(600, 200), {
        originalName: 'logo.png',
      });
      await b.get('/newsroom/settings');
      const bad = await b.post('/newsroom/settings', { ...VALID, logoMediaId: '987654' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="logoMediaId-error"/);
      assert.equal((await b.post('/newsroom/settings', { ...VALID, logoMediaId: String(mediaId) })).statusCode, 303);
      const home = (await t.app.inject('/')).body;
      assert.match(
        home,
        /<a class="brand" href="\/"><img class="logo" src="\/media\/[^"]+w480\.webp" width="480" height="160" alt="The Riverside Courier"><\/a>/,
      );
      assert.equal((await b.post('/newsroom/settings', { ...VALID, logoMediaId: '' })).statusCode, 303);
      assert.match((await t.app.inject('/')).body, /<a class="brand" href="\/">The Riverside Courier<\/a>/);
    });

    test('an invalid time zone, base URL or social link: 400 with field errors, nothing saved', async () => {
      const owner = await makeStaff(t.app, 'owner');
      const b = await signedIn(t.app, owner);
      const before = await getSettings(t.app.masthead.settings);
      const audits = (await auditRows('settings.changed')).length;
      for (const [field, value] of [
        ['timeZone', 'Mars/Olympus_Mons'],
        ['timeZone', '+01:00'],
        ['baseUrl', 'javascript:alert(1)'],
        ['baseUrl', 'https://courier.example.org/?utm=x'],
        ['baseUrl', 'https://courier.example.org/"onmouseover="alert(1)'],
        ['baseUrl', 'https://courier.example.org/<b>'],
        ['baseUrl', 'https://courier.example.org/[news]'],
        ['baseUrl', 'https://editor:secret@courier.example.org'],
        ['baseUrl', 'https://courier.example.org/news;x=1'],
        ['social.telegram', 'http://t.me/courier'],
        ['social.x', 'javascript:alert(1)'],
        ['name', '   '],
      ] as const) {
        await b.get('/newsroom/settings');
        const res = await b.post('/newsroom/settings', { ...VALID, name: 'Should Not Be Saved', [field]: value });
        assert.equal(res.statusCode, 400, `${field}=${value}`);
        assert.match(
          res.body,
          new RegExp(`aria-invalid="true" aria-describedby="${field.replace('.', '\\.')}-error"`),
          field,
        );
        assert.match(res.body, new RegExp(`<p class="nr-error" id="${field.replace('.', '\\.')}-error">`), field);
        assert.ok(res.body.includes('Nothing was saved'));
      }
      const both = await b.post('/newsroom/settings', { ...VALID, timeZone: 'Nowhere/Special', baseUrl: 'not a url' });
      assert.equal(both.statusCode, 400);
      assert.match(both.body, /id="timeZone-error"/);
      assert.match(both.body, /id="baseUrl-error"/);
      assert.match(both.body, /<option selected>Nowhere\/Special<\/option>/, 'the form comes back as it was sent');
      assert.deepEqual(await getSettings(t.app.masthead.settings), before);
      assert.equal((await auditRows('settings.changed')).length, audits);
      assert.doesNotMatch((await t.app.inject('/')).body, /Should Not Be Saved/);
    });

    test('the site address is stored in its normal form', async () => {
      const b = await signedIn(t.app, await makeStaff(t.app, 'owner'));
      await b.get('/newsroom/settings');
      const res = await b.post('/newsroom/settings', { ...VALID, baseUrl: ' HTTPS://Courier.Example.ORG:443/news/ ' });
      assert.equal(res.statusCode, 303);
      assert.equal((await getSettings(t.app.masthead.settings)).baseUrl, 'https://courier.example.org/news');
      const stored = await t.testDb.db.kysely
        .selectFrom('settings')
        .select('value')
        .where('key', '=', 'baseUrl')
        .executeTakeFirstOrThrow();
      // A JSON string: text on SQLite, jsonb (read back as the bare string) on PostgreSQL.
      assert.equal(String(stored.value).replace(/^"|"$/g, ''), 'https://courier.example.org/news');
      await b.get('/newsroom/settings');
      assert.equal((await b.post('/newsroom/settings', VALID)).statusCode, 303);
    });

    test('editors and below may not see or change settings or the privacy policy', async () => {
      const before = await getSettings(t.app.masthead.settings);
      for (const role of ['editor', 'author', 'contributor'] as const) {
        const b = await signedIn(t.app, await makeStaff(t.app, role));
        assert.equal((await b.get('/newsroom/settings')).statusCode, 403, role);
        assert.equal((await b.post('/newsroom/settings', { ...VALID, name: 'Hijacked' })).statusCode, 403, role);
        assert.equal((await b.get('/newsroom/settings/privacy')).statusCode, 403, role);
        assert.equal(
          (await b.post('/newsroom/settings/privacy', { markdown: 'We sell everything.' })).statusCode,
          403,
          role,
        );
      }
      assert.deepEqual(await getSettings(t.app.masthead.settings), before);
      assert.equal(await getCurrentPrivacyPolicy(t.app.masthead.settings), null);
    });

    test('privacy policy: each publication is a new version, earlier texts are kept, audited', async () => {
      const admin = await makeStaff(t.app, 'admin', 'Ada Admin');
      const b = await signedIn(t.app, admin);
      const empty = await b.get('/newsroom/settings/privacy');
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /No privacy policy has been published yet/);
      assert.equal((await b.post('/newsroom/settings/privacy', { markdown: '   ' })).statusCode, 400);

      const first = await b.post('/newsroom/settings/privacy', {
        markdown: '# Privacy\n\nWe keep **your email** only.<script>alert(1)</script>',
      });
      assert.equal(first.statusCode, 303);
      assert.equal(first.headers.location, '/newsroom/settings/privacy?done=published');
      const v1 = await getCurrentPrivacyPolicy(t.app.masthead.settings);
      assert.equal(v1?.version, 1);
      assert.match(v1?.html ?? '', /<strong>your email<\/strong>/);
      assert.doesNotMatch(v1?.html ?? '', /<script/);

      await b.get('/newsroom/settings/privacy');
      const same = await b.post('/newsroom/settings/privacy', {
        markdown: '# Privacy\r\n\r\nWe keep **your email** only.<script>alert(1)</script>\n',
      });
      assert.equal(same.statusCode, 400, 'the same text is not a new version');
      assert.match(same.body, /id="markdown-error"/);

      assert.equal(
        (await b.post('/newsroom/settings/privacy', { markdown: 'We keep your email and your postcode.' })).statusCode,
        303,
      );
      const page = await b.get('/newsroom/settings/privacy?done=published');
      assert.match(page.body, /The new version of the privacy policy is published/);
      assert.match(page.body, /Current version 2/);
      assert.match(page.body, /your postcode/);
      assert.match(page.body, /<a href="\/newsroom\/settings\/privacy\?version=1">1<\/a>/);
      assert.match(page.body, /Ada Admin/);
      assert.match(page.body, /Publish version 3/);
      const old = await b.get('/newsroom/settings/privacy?version=1');
      assert.match(old.body, /Earlier version 1/);
      assert.match(old.body, /<strong>your email<\/strong> only\./);
      assert.equal((await b.get('/newsroom/settings/privacy?version=9')).statusCode, 404);

      const current = await getCurrentPrivacyPolicy(t.app.masthead.settings);
      assert.equal(current?.version, 2);
      const versions = await listPrivacyPolicyVersions(t.app.masthead.settings);
      assert.deepEqual(
        versions.items.map((v) => v.version),
        [2, 1],
      );
      assert.equal(versions.total, 2);
      const rows = await t.testDb.db.kysely
        .selectFrom('privacy_policies')
        .select(['version', 'body_markdown', 'created_by'])
        .orderBy('version')
        .execute();
      assert.equal(rows[0]?.body_markdown, '# Privacy\n\nWe keep **your email** only.<script>alert(1)</script>');
      assert.equal(rows[1]?.created_by, admin.id);
      const audits = await auditRows('privacy_policy.published');
      assert.deepEqual(
        audits.map((a) => [a.target_type, a.target_id, a.actor_id]),
        [
          ['privacy_policy', '1', admin.id],
          ['privacy_policy', '2', admin.id],
        ],
      );
    });
  });
}
