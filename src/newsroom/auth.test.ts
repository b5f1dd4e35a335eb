import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hotp, base32Decode, totpStep } from '../accounts/totp.ts';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { Browser, makeStaff, signedIn, STRONG_PASSWORD } from '#test/newsroom.ts';

function codeFor(secret: string, offsetSteps = 0): string {
  const key = base32Decode(secret);
  if (!key) throw new Error('bad secret');
  return hotp(key, totpStep(new Date()) + offsetSteps);
}

for (const dialect of dialects) {
  describe(`newsroom sign-in on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('first run: setup creates the owner once, then the owner must enrol TOTP', async () => {
      const b = new Browser(t.app);
      assert.equal((await b.get('/newsroom/sign-in')).headers.location, '/newsroom/setup');
      await b.get('/newsroom/setup');
      const weak = await b.post('/newsroom/setup', {
        name: 'Olga Owner',
        email: 'olga@news.example.test',
        password: 'password1234',
      });
      assert.equal(weak.statusCode, 400);
      assert.match(weak.body, /aria-invalid="true" aria-describedby="password-error"/);
      const ok = await b.post('/newsroom/setup', {
        name: 'Olga Owner',
        email: 'olga@news.example.test',
        password: STRONG_PASSWORD,
      });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/newsroom/account/two-factor');
      const session = ok.cookies.find((c) => c.name === 'masthead_session');
      assert.ok(session?.httpOnly && session.sameSite === 'Lax' && session.path === '/');
      // An owner without TOTP is sent to enrolment from every staff page.
      assert.equal((await b.get('/newsroom/articles')).headers.location, '/newsroom/account/two-factor');
      const enrol = await b.get('/newsroom/account/two-factor');
      const secret = /nr-secret">([^<]+)</.exec(enrol.body)?.[1]?.replace(/\s/g, '');
      assert.ok(secret);
      assert.equal((await b.post('/newsroom/account/two-factor', { code: '000000' })).statusCode, 400);
      const done = await b.post('/newsroom/account/two-factor', { code: codeFor(secret) });
      assert.equal(done.statusCode, 200);
      assert.equal([...done.body.matchAll(/<li><code>[a-z0-9-]+<\/code><\/li>/g)].length, 10);
      assert.equal((await b.get('/newsroom/articles')).statusCode, 200);
      // Setup is closed now.
      const again = new Browser(t.app, '198.51.100.1');
      assert.equal((await again.get('/newsroom/setup')).headers.location, '/newsroom/sign-in');
      await again.get('/newsroom/sign-in');
      assert.equal(
        (await again.post('/newsroom/setup', { name: 'Mallory', email: 'm@evil.example', password: STRONG_PASSWORD }))
          .statusCode,
        409,
      );
    });

    test('sign-in with TOTP: a new session id after each factor; replayed codes refused', async () => {
      const editor = await makeStaff(t.app, 'editor');
      const b = new Browser(t.app, '192.0.2.10');
      await b.get('/newsroom/sign-in');
      const first = await b.post('/newsroom/sign-in', {
        email: editor.email.toUpperCase(),
        password: STRONG_PASSWORD,
        next: '/newsroom/articles',
      });
      assert.equal(first.headers.location, '/newsroom/sign-in/code');
      const halfToken = b.cookies.get('masthead_session');
      assert.equal(
        (await b.get('/newsroom/articles')).headers.location,
        '/newsroom/sign-in/code',
        'no staff page before the second factor',
      );
      await b.get('/newsroom/sign-in/code');
      const code = codeFor(editor.totpSecret ?? '');
      assert.equal((await b.post('/newsroom/sign-in/code', { code })).headers.location, '/newsroom');
      assert.notEqual(b.cookies.get('masthead_session'), halfToken);
      assert.equal((await b.get('/newsroom/articles')).statusCode, 200);
      // The old half-signed-in token is dead.
      const stale = new Browser(t.app, '192.0.2.11');
      stale.cookies.set('masthead_session', halfToken ?? '');
      assert.equal((await stale.get('/newsroom/articles')).statusCode, 303);
      // Replaying the same code in a new sign-in fails.
      const c = new Browser(t.app, '192.0.2.12');
      await c.get('/newsroom/sign-in');
      await c.post('/newsroom/sign-in', { email: editor.email, password: STRONG_PASSWORD });
      await c.get('/newsroom/sign-in/code');
      assert.equal((await c.post('/newsroom/sign-in/code', { code })).statusCode, 401);
    });

    test('brute force: 5 password checks per address per 15 minutes, same answer for unknown and wrong, real user still gets in elsewhere', async () => {
      const author = await makeStaff(t.app, 'author');
      const attacker = new Browser(t.app, '203.0.113.66');
      await attacker.get('/newsroom/sign-in');
      const unknown = await attacker.post('/newsroom/sign-in', {
        email: 'nobody@news.example.test',
        password: 'wrong wrong wrong',
      });
      const wrong = await attacker.post('/newsroom/sign-in', { email: author.email, password: 'wrong wrong wrong' });
      assert.equal(unknown.statusCode, 401);
      assert.equal(wrong.statusCode, 401);
      const msg = (body: string) => /<p class="nr-error" role="alert">([^<]*)</.exec(body)?.[1];
      assert.equal(msg(unknown.body), msg(wrong.body));
      for (let i = 0; i < 3; i++)
        assert.equal(
          (await attacker.post('/newsroom/sign-in', { email: author.email, password: `guess ${i}` })).statusCode,
          401,
        );
      const sixth = await attacker.post('/newsroom/sign-in', { email: author.email, password: STRONG_PASSWORD });
      assert.equal(sixth.statusCode, 429, 'even the right password is not checked past the limit');
      assert.equal(attacker.cookies.get('masthead_session'), undefined);
      const real = new Browser(t.app, '198.51.100.200');
      await real.get('/newsroom/sign-in');
      const ok = await real.post('/newsroom/sign-in', { email: author.email, password: STRONG_PASSWORD });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/newsroom');
    });

    test('successful sign-ins do not count: a newsroom behind one shared address keeps signing in', async () => {
      const office = '198.51.100.90';
      for (let i = 0; i < 8; i++) {
        const person = await makeStaff(t.app, 'author');
        const b = new Browser(t.app, office);
        await b.get('/newsroom/sign-in');
        const r = await b.post('/newsroom/sign-in', { email: person.email, password: STRONG_PASSWORD });
        assert.equal(r.statusCode, 303, `sign-in ${i + 1} from the shared address`);
      }
    });

    test('a distributed guess closes the account to new networks, not to the networks its owner uses; unknown emails behave the same', async () => {
      const author = await makeStaff(t.app, 'author');
      const home = new Browser(t.app, '198.51.100.77');
      await home.get('/newsroom/sign-in');
      assert.equal(
        (await home.post('/newsroom/sign-in', { email: author.email, password: STRONG_PASSWORD })).statusCode,
        303,
      );
      // Ten failures from five addresses, two each: below every per-address limit.
      for (const target of [author.email, 'ghost@news.example.test']) {
        for (let i = 0; i < 10; i++) {
          const b = new Browser(t.app, `203.0.113.${100 + Math.floor(i / 2) + (target === author.email ? 0 : 10)}`);
          await b.get('/newsroom/sign-in');
          assert.equal(
            (await b.post('/newsroom/sign-in', { email: target, password: `guess number ${i}` })).statusCode,
            401,
          );
        }
      }
      const stranger = new Browser(t.app, '203.0.113.200');
      await stranger.get('/newsroom/sign-in');
      assert.equal(
        (await stranger.post('/newsroom/sign-in', { email: author.email, password: STRONG_PASSWORD })).statusCode,
        429,
      );
      assert.equal(
        (await stranger.post('/newsroom/sign-in', { email: 'ghost@news.example.test', password: STRONG_PASSWORD }))
          .statusCode,
        429,
        'the same answer for an unknown email',
      );
      const again = new Browser(t.app, '198.51.100.77');
      await again.get('/newsroom/sign-in');
      assert.equal(
        (await again.post('/newsroom/sign-in', { email: author.email, password: STRONG_PASSWORD })).statusCode,
        303,
        'the owner of the account still gets in from home',
      );
    });

    test('forged cross-site posts are refused: no token, wrong token, foreign origin', async () => {
      const admin = await makeStaff(t.app, 'admin');
      const victim = await makeStaff(t.app, 'author');
      const b = await signedIn(t.app, admin);
      assert.equal((await b.post(`/newsroom/staff/${victim.id}/deactivate`, {}, { csrf: null })).statusCode, 403);
      assert.equal(
        (await b.post(`/newsroom/staff/${victim.id}/deactivate`, {}, { csrf: 'x'.repeat(40) })).statusCode,
        403,
      );
      assert.equal(
        (await b.post(`/newsroom/staff/${victim.id}/deactivate`, {}, { origin: 'https://evil.example' })).statusCode,
        403,
      );
      assert.equal((await b.post(`/newsroom/staff/${victim.id}/deactivate`, {}, { origin: 'null' })).statusCode, 403);
      const row = await t.testDb.db.kysely
        .selectFrom('staff')
        .select('status')
        .where('id', '=', victim.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'active');
    });

    test('deactivating someone ends their sessions at once; sign out everywhere works', async () => {
      const admin = await makeStaff(t.app, 'admin');
      const author = await makeStaff(t.app, 'author');
      const a = await signedIn(t.app, author);
      const a2 = await signedIn(t.app, author);
      assert.equal((await a.get('/newsroom/articles')).statusCode, 200);
      const b = await signedIn(t.app, admin);
      assert.equal((await b.post(`/newsroom/staff/${author.id}/deactivate`, {})).statusCode, 303);
      assert.equal((await a.get('/newsroom/articles')).statusCode, 303);
      assert.equal((await a2.get('/newsroom/articles')).statusCode, 303);
      const signIn = new Browser(t.app, '192.0.2.99');
      await signIn.get('/newsroom/sign-in');
      assert.equal(
        (await signIn.post('/newsroom/sign-in', { email: author.email, password: STRONG_PASSWORD })).statusCode,
        401,
      );

      const other = await makeStaff(t.app, 'contributor');
      const c1 = await signedIn(t.app, other);
      const c2 = await signedIn(t.app, other);
      assert.equal((await c1.post('/newsroom/sign-out-everywhere', {})).statusCode, 303);
      assert.equal((await c2.get('/newsroom/articles')).statusCode, 303);
      const log = await t.testDb.db.kysely.selectFrom('audit_log').select(['action', 'detail']).execute();
      const actions = log.map((l) => l.action);
      for (const a of [
        'staff.deactivated',
        'auth.signed_out_everywhere',
        'auth.sign_in_failed',
        'staff.owner_created',
        'auth.totp_enabled',
      ])
        assert.ok(actions.includes(a), a);
      assert.ok(!JSON.stringify(log).includes(STRONG_PASSWORD), 'no secrets in the audit log');
    });

    test('changing email needs the password and tells the old address; an admin can reset a lost second factor', async () => {
      const author = await makeStaff(t.app, 'author');
      const b = await signedIn(t.app, author);
      assert.equal(
        (await b.post('/newsroom/account/email', { current: 'not my password', email: 'new@news.example.test' }))
          .statusCode,
        401,
      );
      const ok = await b.post('/newsroom/account/email', {
        current: STRONG_PASSWORD,
        email: 'Ana.New@News.Example.Test',
      });
      assert.equal(ok.statusCode, 200);
      const row = await t.testDb.db.kysely
        .selectFrom('staff')
        .select('email')
        .where('id', '=', author.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.email, 'ana.new@news.example.test');
      const told = await t.testDb.db.kysely
        .selectFrom('outbox_messages')
        .select('subject')
        .where('to_address', '=', author.email)
        .execute();
      assert.ok(told.some((m) => /email was changed/.test(m.subject)));

      const admin = await makeStaff(t.app, 'admin');
      const editor = await makeStaff(t.app, 'editor');
      const e = await signedIn(t.app, editor);
      const a = await signedIn(t.app, admin);
      assert.equal((await a.post(`/newsroom/staff/${editor.id}/reset-two-factor`, {})).statusCode, 303);
      assert.equal((await e.get('/newsroom/articles')).statusCode, 303, 'their sessions ended');
      const signIn = new Browser(t.app, '192.0.2.150');
      await signIn.get('/newsroom/sign-in');
      await signIn.post('/newsroom/sign-in', { email: editor.email, password: STRONG_PASSWORD });
      assert.equal(
        (await signIn.get('/newsroom/articles')).headers.location,
        '/newsroom/account/two-factor',
        'must enrol again',
      );
    });

    test('staff pages are never cached and carry a strict CSP', async () => {
      const editor = await makeStaff(t.app, 'editor');
      const b = await signedIn(t.app, editor);
      const res = await b.get('/newsroom/articles');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.headers['content-security-policy'] as string, /script-src 'none'/);
      assert.equal(codeFor(editor.totpSecret ?? '', 0).length, 6);
    });
  });
}
