// Signup and double opt-in through HTTP, on every database dialect.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixedClock } from '#lib/clock.ts';
import { ADDRESS_SIGNUPS, IP_SIGNUPS } from '#newsletter';
import { publishPrivacyPolicy } from '#settings';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';
import { confirmLink, mailTo, postForm, postSignup, until } from '#test/newsletter.ts';

const START = '2026-11-27T08:00:00Z';

async function withApp(
  dialect: (typeof dialects)[number],
  fn: (t: TestApp, clock: ReturnType<typeof fixedClock>) => Promise<void>,
) {
  const clock = fixedClock(START);
  const t = await createTestApp(dialect, { clock });
  try {
    t.app.masthead.startWorker();
    await fn(t, clock);
  } finally {
    await t.close();
  }
}

const subscriber = (t: TestApp, email: string) =>
  t.testDb.db.kysely.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();

for (const dialect of dialects) {
  describe(`newsletter signup on ${dialect}`, () => {
    test('signup → check your email → confirmation mail → confirm → active; consent recorded; same answer for known addresses', async () => {
      await withApp(dialect, async (t) => {
        await publishPrivacyPolicy(t.app.masthead.settings, null, 'We keep **little** about readers.');
        const res = await postSignup(t.app, { email: '  Reader@Example.ORG ' }, { referer: '/articles/some-story' });
        assert.equal(res.statusCode, 303);
        assert.equal(res.headers.location, '/newsletter/check-your-email');
        assert.match((await t.app.inject('/newsletter/check-your-email')).body, /Check your email/);

        const row = await subscriber(t, 'reader@example.org');
        assert.equal(row?.status, 'pending');
        assert.equal(row?.policy_version, 1);
        assert.equal(row?.source, '/articles/some-story');
        assert.equal(row?.consent_at, new Date(START).toISOString());

        const mail = await mailTo(t.app, 'reader@example.org');
        assert.equal(mail.category, 'newsletter.confirmation');
        const link = confirmLink(mail);
        // A GET (a link scanner) only shows the button.
        const page = await t.app.inject(link);
        assert.equal(page.statusCode, 200);
        assert.equal(page.headers['cache-control'], 'no-store');
        assert.match(page.body, /<form method="post" action="\/newsletter\/confirm\//);
        assert.equal((await subscriber(t, 'reader@example.org'))?.status, 'pending');

        const done = await postForm(t.app, link);
        assert.equal(done.statusCode, 303);
        assert.equal(done.headers.location, '/newsletter/confirmed');
        const active = await subscriber(t, 'reader@example.org');
        assert.equal(active?.status, 'active');
        assert.ok(active?.confirmed_at);

        // Reuse fails.
        assert.equal((await postForm(t.app, link)).statusCode, 400);
        assert.equal((await t.app.inject(link)).statusCode, 400);

        // A known (active) address gets exactly the same answer as a new one.
        const again = await postSignup(t.app, { email: 'reader@example.org' }, { ip: '198.51.100.2' });
        const fresh = await postSignup(t.app, { email: 'someone-new@example.org' }, { ip: '198.51.100.3' });
        assert.equal(again.statusCode, fresh.statusCode);
        assert.equal(again.headers.location, fresh.headers.location);
        assert.equal(again.body, fresh.body);
        assert.equal((await subscriber(t, 'reader@example.org'))?.status, 'active');
      });
    });

    test('a confirmation link expires after 48 hours', async () => {
      await withApp(dialect, async (t, clock) => {
        await postSignup(t.app, { email: 'late@example.org' });
        const link = confirmLink(await mailTo(t.app, 'late@example.org'));
        clock.advance(49 * 3_600_000);
        assert.equal((await t.app.inject(link)).statusCode, 400);
        assert.equal((await postForm(t.app, link)).statusCode, 400);
        assert.equal((await subscriber(t, 'late@example.org'))?.status, 'pending');
        assert.equal((await postForm(t.app, '/newsletter/confirm/not-a-token')).statusCode, 400);
      });
    });

    test('honeypot, foreign origin and rate limits', async () => {
      await withApp(dialect, async (t) => {
        const bot = await postSignup(t.app, { email: 'bot@example.org', website: 'http://spam.example' });
        assert.equal(bot.statusCode, 303);
        assert.equal(bot.headers.location, '/newsletter/check-your-email');
        assert.equal(await subscriber(t, 'bot@example.org'), undefined);

        const csrf = await postSignup(t.app, { email: 'victim@example.org' }, { origin: 'https://evil.example' });
        assert.equal(csrf.statusCode, 403);
        const viaReferer = await postSignup(t.app, { email: 'victim@example.org' }, { origin: null, referer: null });
        assert.equal(viaReferer.statusCode, 303, 'no Origin and no Referer: not a browser form, allowed');
        const nullOrigin = await postSignup(t.app, { email: 'victim2@example.org' }, { origin: 'null' });
        assert.equal(nullOrigin.statusCode, 403);
        assert.equal(await subscriber(t, 'victim2@example.org'), undefined);

        // Per address: the same address from many networks.
        for (let i = 0; i < ADDRESS_SIGNUPS - 1; i++)
          assert.equal(
            (await postSignup(t.app, { email: 'victim@example.org' }, { ip: `203.0.113.${i + 10}` })).statusCode,
            303,
          );
        const tooMany = await postSignup(t.app, { email: 'victim@example.org' }, { ip: '203.0.113.99' });
        assert.equal(tooMany.statusCode, 429);
        assert.match(tooMany.body, /Too many/);

        // Per network: many addresses from one.
        for (let i = 0; i < IP_SIGNUPS; i++)
          assert.equal((await postSignup(t.app, { email: `n${i}@example.org` }, { ip: '192.0.2.50' })).statusCode, 303);
        assert.equal(
          (await postSignup(t.app, { email: 'one-more@example.org' }, { ip: '192.0.2.50' })).statusCode,
          429,
        );
        assert.equal(await subscriber(t, 'one-more@example.org'), undefined);
      });
    });

    test('pending subscribers are purged after 7 days; active ones stay', async () => {
      await withApp(dialect, async (t, clock) => {
        await postSignup(t.app, { email: 'keeps@example.org' }, { ip: '198.51.100.7' });
        await postSignup(t.app, { email: 'forgets@example.org' }, { ip: '198.51.100.8' });
        await postForm(t.app, confirmLink(await mailTo(t.app, 'keeps@example.org')));
        assert.equal((await subscriber(t, 'keeps@example.org'))?.status, 'active');
        clock.advance(8 * 24 * 3_600_000);
        t.app.masthead.jobs.notify();
        await until(async () => (await subscriber(t, 'forgets@example.org')) === undefined, 'purge');
        assert.equal((await subscriber(t, 'keeps@example.org'))?.status, 'active');
        const tokens = await t.testDb.db.kysely.selectFrom('subscriber_tokens').selectAll().execute();
        assert.equal(tokens.length, 0);
      });
    });

    test('the signup block is on article pages, which stay cacheable and the same for everyone', async () => {
      await withApp(dialect, async (t) => {
        const a = await makeArticle(t.app.masthead.articles, { slug: 'with-signup', withImage: false });
        // The consent line links the policy only once there is one (see privacy.test.ts).
        await publishPrivacyPolicy(t.app.masthead.settings, null, 'We keep your address and nothing else.');
        const one = await t.app.inject({ url: `/articles/${a.slug}`, remoteAddress: '198.51.100.20' });
        const two = await t.app.inject({
          url: `/articles/${a.slug}`,
          remoteAddress: '198.51.100.21',
          headers: { cookie: 'x=1' },
        });
        assert.equal(one.statusCode, 200);
        assert.match(one.body, /Sign up for our free weekly newsletter/);
        assert.match(
          one.body,
          /A hand-picked selection of news, features, analysis and more, in your mailbox every Friday\./,
        );
        assert.match(one.body, /Subscribers agree to the <a href="\/privacy">Privacy Policy<\/a>/);
        assert.ok(
          !one.body.includes('>Preview</a>'),
          'no Preview link before any edition went out (see archive.test.ts)',
        );
        assert.match(
          one.body,
          /<input id="newsletter-website" name="website" type="text" tabindex="-1" autocomplete="off"/,
        );
        assert.match(String(one.headers['cache-control']), /^public/);
        assert.equal(one.headers['set-cookie'], undefined);
        assert.equal(one.body, two.body);
        assert.equal(one.headers.etag, two.headers.etag);
        const np = await t.app.inject('/newsletter');
        assert.equal(np.statusCode, 200);
        assert.equal(np.body.match(/action="\/newsletter\/subscribe"/g)?.length, 1, 'one form on the newsletter page');
        assert.match((await t.app.inject('/newsletter/archive')).body, /No editions/);
      });
    });
  });
}
