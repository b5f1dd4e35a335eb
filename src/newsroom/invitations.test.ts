import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getOutboxMessage, listOutbox } from '#mail';
import { fixedClock } from '#lib/clock.ts';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { Browser, makeStaff, signedIn, STRONG_PASSWORD } from '#test/newsroom.ts';

async function lastMailTo(t: TestApp, to: string) {
  const list = await listOutbox(t.app.masthead.mail, { page: 1, perPage: 5, to });
  const first = list.items[0];
  assert.ok(first, `a message to ${to}`);
  return getOutboxMessage(t.app.masthead.mail, first.id);
}

for (const dialect of dialects) {
  describe(`invitations and password resets on ${dialect}`, () => {
    let t: TestApp;
    const clock = fixedClock(new Date());
    before(async () => {
      t = await createTestApp(dialect, { clock });
    });
    after(() => t.close());

    test('an admin invites an author by email; the link works once', async () => {
      const admin = await makeStaff(t.app, 'admin');
      const b = await signedIn(t.app, admin);
      await b.get('/newsroom/staff');
      const sent = await b.post('/newsroom/staff/invite', { email: 'New.Author@News.Example.Test', role: 'author' });
      assert.equal(sent.statusCode, 303);
      const mail = await lastMailTo(t, 'new.author@news.example.test');
      const link = /https:\/\/news\.example\.test(\/newsroom\/invite\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
      assert.ok(link, mail.text);

      const invitee = new Browser(t.app, '192.0.2.44');
      const form = await invitee.get(link);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /invited as <strong>author<\/strong>/);
      assert.equal((await invitee.post(link, { name: 'Nia Author', password: 'short' })).statusCode, 400);
      const done = await invitee.post(link, { name: 'Nia Author', password: STRONG_PASSWORD });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/newsroom');
      assert.equal((await invitee.get('/newsroom/articles')).statusCode, 200);
      // Used once: a second visit finds nothing.
      const again = new Browser(t.app, '192.0.2.45');
      assert.equal((await again.get(link)).statusCode, 410);
      const row = await t.testDb.db.kysely
        .selectFrom('staff')
        .select(['role', 'name'])
        .where('email', '=', 'new.author@news.example.test')
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { role: 'author', name: 'Nia Author' });
    });

    test('an address the mailer would refuse is a 400 with a message, and nothing is written', async () => {
      const admin = await makeStaff(t.app, 'admin');
      const b = await signedIn(t.app, admin);
      await b.get('/newsroom/staff');
      const count = async () => {
        const k = t.testDb.db.kysely;
        const tokens = await k
          .selectFrom('staff_tokens')
          .select((e) => e.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const audit = await k
          .selectFrom('audit_log')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('action', '=', 'staff.invited')
          .executeTakeFirstOrThrow();
        return [Number(tokens.n), Number(audit.n)];
      };
      const before = await count();
      for (const email of ['a..b@example.org', 'x@example.123', 'nobody', 'a@b@example.org']) {
        const r = await b.post('/newsroom/staff/invite', { email, role: 'author' });
        assert.equal(r.statusCode, 400, email);
        assert.match(r.body, /Enter a valid email address/, email);
      }
      assert.deepEqual(await count(), before);
    });

    test('accepting while the sign-in throttle is hit answers 429 and neither creates the account nor uses the link', async () => {
      const admin = await makeStaff(t.app, 'admin');
      const b = await signedIn(t.app, admin);
      await b.get('/newsroom/staff');
      await b.post('/newsroom/staff/invite', { email: 'throttled.invitee@news.example.test', role: 'author' });
      const mail = await lastMailTo(t, 'throttled.invitee@news.example.test');
      const link = /(\/newsroom\/invite\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
      assert.ok(link, mail.text);

      const invitee = new Browser(t.app, '203.0.113.150');
      await invitee.get('/newsroom/sign-in');
      for (let i = 0; i < 5; i++)
        await invitee.post('/newsroom/sign-in', { email: 'nobody@news.example.test', password: `guess ${i}` });
      await invitee.get(link);
      const refused = await invitee.post(link, { name: 'Tia Invitee', password: STRONG_PASSWORD });
      assert.equal(refused.statusCode, 429);
      const staff = () =>
        t.testDb.db.kysely
          .selectFrom('staff')
          .select('id')
          .where('email', '=', 'throttled.invitee@news.example.test')
          .executeTakeFirst();
      assert.equal(await staff(), undefined, 'no account was created');

      const elsewhere = new Browser(t.app, '198.51.100.150');
      await elsewhere.get(link);
      const done = await elsewhere.post(link, { name: 'Tia Invitee', password: STRONG_PASSWORD });
      assert.equal(done.statusCode, 303, 'the invitation is still usable');
      assert.ok(await staff());
    });

    test('an admin cannot invite an owner or admin; editors cannot invite at all', async () => {
      const admin = await makeStaff(t.app, 'admin');
      const b = await signedIn(t.app, admin);
      await b.get('/newsroom/staff');
      assert.equal(
        (await b.post('/newsroom/staff/invite', { email: 'boss@news.example.test', role: 'owner' })).statusCode,
        403,
      );
      const editor = await makeStaff(t.app, 'editor');
      const e = await signedIn(t.app, editor);
      assert.equal(
        (await e.post('/newsroom/staff/invite', { email: 'x@news.example.test', role: 'author' })).statusCode,
        403,
      );
    });

    test('password reset: same answer for unknown addresses, link expires in 30 minutes, ends sessions, never skips 2FA', async () => {
      const editor = await makeStaff(t.app, 'editor');
      const old = await signedIn(t.app, editor);
      const b = new Browser(t.app, '192.0.2.60');
      await b.get('/newsroom/reset');
      const known = await b.post('/newsroom/reset', { email: editor.email });
      const unknown = await b.post('/newsroom/reset', { email: 'nobody@news.example.test' });
      assert.equal(known.statusCode, 200);
      assert.equal(unknown.statusCode, 200);
      const status = (body: string) => /<p role="status">([^<]*)</.exec(body)?.[1];
      assert.equal(status(known.body), status(unknown.body));
      const mail = await lastMailTo(t, editor.email);
      const link = /(\/newsroom\/reset\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
      assert.ok(link);

      // A second link, left to expire.
      await b.post('/newsroom/reset', { email: editor.email });
      const second = /(\/newsroom\/reset\/[A-Za-z0-9_-]{43})/.exec((await lastMailTo(t, editor.email)).text)?.[1];
      assert.ok(second && second !== link);

      await b.get(link);
      assert.equal(
        (await b.post(link, { password: 'new and rather long passphrase here' })).headers.location,
        '/newsroom/sign-in',
      );
      assert.equal((await old.get('/newsroom/articles')).statusCode, 303, 'old sessions ended');
      assert.equal((await b.get(link)).statusCode, 410, 'single use');

      const signIn = new Browser(t.app, '192.0.2.61');
      await signIn.get('/newsroom/sign-in');
      const r = await signIn.post('/newsroom/sign-in', {
        email: editor.email,
        password: 'new and rather long passphrase here',
      });
      assert.equal(r.headers.location, '/newsroom/sign-in/code', 'the second factor is still required');

      clock.advance(31 * 60_000);
      assert.equal((await b.get(second)).statusCode, 410, 'expired after 30 minutes');
    });
  });
}
