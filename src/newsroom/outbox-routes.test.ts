import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { escapeHtml } from '#lib/html.ts';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeStaff, signedIn } from '#test/newsroom.ts';

// Markup that would run, restyle or leave the page if it were ever put inline.
const HOSTILE_HTML = `<p>Hello <b>reader</b></p><script>alert("owned")</script><img src=x onerror="alert(1)">"></iframe><form action="https://evil.example/"><input name=q></form>`;

for (const dialect of dialects) {
  describe(`newsroom mail outbox on ${dialect}`, () => {
    let t: TestApp;
    let firstId = 0;
    before(async () => {
      t = await createTestApp(dialect);
      const mailer = t.app.masthead.mail.mailer;
      assert.equal(mailer.mode, 'outbox', 'tests run without SMTP_URL');
      await mailer.send({
        to: 'reader@example.org',
        subject: 'Please confirm <your> subscription',
        text: 'Click here: https://news.example.test/confirm?t=abc&x=<1>',
        html: HOSTILE_HTML,
        headers: { 'List-Unsubscribe': '<https://news.example.test/u/abc>' },
        category: 'newsletter.confirmation',
      });
      const row = await t.testDb.db.kysely
        .selectFrom('outbox_messages')
        .select('id')
        .where('to_address', '=', 'reader@example.org')
        .executeTakeFirstOrThrow();
      firstId = row.id;
    });
    after(() => t.close());

    test('the list shows recipient, subject, category and time, under a development-mail banner', async () => {
      const admin = await makeStaff(t.app, 'admin');
      const b = await signedIn(t.app, admin);
      const res = await b.get('/newsroom/outbox');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Development mail: messages are stored here, not sent/);
      assert.match(res.body, /<td>reader@example\.org<\/td>/);
      assert.ok(
        res.body.includes(`<a href="/newsroom/outbox/${firstId}">Please confirm &lt;your&gt; subscription</a>`),
      );
      assert.match(res.body, /<td>newsletter\.confirmation<\/td>/);
      assert.match(res.body, /<time datetime="\d{4}-\d\d-\d\dT[^"]+">/);
      assert.equal(res.headers['cache-control'], 'no-store');
    });

    test('the list pages through many messages and filters by recipient', async () => {
      const mailer = t.app.masthead.mail.mailer;
      for (let i = 0; i < 55; i++)
        await mailer.send({ to: `bulk${i}@example.org`, subject: `Bulk ${i}`, text: 'x', category: 'test.bulk' });
      const b = await signedIn(t.app, await makeStaff(t.app, 'owner'));
      const first = await b.get('/newsroom/outbox');
      assert.equal([...first.body.matchAll(/<a href="\/newsroom\/outbox\/\d+">/g)].length, 50);
      assert.match(first.body, /56 messages · page 1 of 2 · <a href="\/newsroom\/outbox\?page=2">Older<\/a>/);
      const second = await b.get('/newsroom/outbox?page=2');
      assert.equal([...second.body.matchAll(/<a href="\/newsroom\/outbox\/\d+">/g)].length, 6);
      assert.match(second.body, /Please confirm/, 'the oldest message is on the last page');
      const filtered = await b.get('/newsroom/outbox?to=reader%40example.org');
      assert.equal([...filtered.body.matchAll(/<a href="\/newsroom\/outbox\/\d+">/g)].length, 1);
      assert.equal(
        (await b.get('/newsroom/outbox?page=0')).statusCode,
        400,
        'a nonsense page number is a 400, as on the public site',
      );
    });

    test('a message: headers, text in <pre>, and the HTML only escaped inside a sandboxed srcdoc iframe', async () => {
      const b = await signedIn(t.app, await makeStaff(t.app, 'admin'));
      const res = await b.get(`/newsroom/outbox/${firstId}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Development mail: messages are stored here, not sent/);
      assert.match(res.body, /<dd>reader@example\.org<\/dd>/);
      assert.match(
        res.body,
        /<dt>List-Unsubscribe<\/dt><dd><code>&lt;https:\/\/news\.example\.test\/u\/abc&gt;<\/code><\/dd>/,
      );
      assert.match(res.body, /<dt>Message-ID<\/dt><dd><code>&lt;[^@]+@[^&]+&gt;<\/code><\/dd>/);
      assert.ok(
        res.body.includes(
          '<pre class="nr-mail-text">Click here: https://news.example.test/confirm?t=abc&amp;x=&lt;1&gt;</pre>',
        ),
      );

      const iframes = [...res.body.matchAll(/<iframe\b[^>]*>/g)].map((m) => m[0]);
      assert.equal(iframes.length, 1);
      const iframe = iframes[0] ?? '';
      assert.match(iframe, /\ssandbox\s/, 'sandbox with no allowances');
      assert.doesNotMatch(iframe, /allow-/);
      assert.ok(
        iframe.includes(`srcdoc="${escapeHtml(HOSTILE_HTML)}"`),
        'the whole HTML part, escaped, is the srcdoc attribute',
      );
      // Nothing of the message's markup reaches the page itself.
      assert.doesNotMatch(res.body, /<script/);
      assert.doesNotMatch(res.body, /<b>reader<\/b>/);
      assert.doesNotMatch(res.body, /<img /);
      assert.doesNotMatch(res.body, /evil\.example\/">/);
      assert.equal([...res.body.matchAll(/<\/iframe>/g)].length, 1);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
    });

    test('a message without HTML says so; unknown and malformed ids are 404', async () => {
      const b = await signedIn(t.app, await makeStaff(t.app, 'admin'));
      await t.app.masthead.mail.mailer.send({
        to: 'plain@example.org',
        subject: 'Plain',
        text: 'Just text',
        category: 'test.plain',
      });
      const row = await t.testDb.db.kysely
        .selectFrom('outbox_messages')
        .select('id')
        .where('to_address', '=', 'plain@example.org')
        .executeTakeFirstOrThrow();
      const res = await b.get(`/newsroom/outbox/${row.id}`);
      assert.match(res.body, /This message has no HTML part/);
      assert.doesNotMatch(res.body, /<iframe/);
      assert.equal((await b.get('/newsroom/outbox/999999')).statusCode, 404);
      assert.equal((await b.get('/newsroom/outbox/abc')).statusCode, 404);
      assert.equal((await b.get('/newsroom/outbox/0')).statusCode, 404);
    });

    test('only owners and admins may read the outbox: it holds readers’ addresses', async () => {
      for (const role of ['editor', 'author', 'contributor'] as const) {
        const b = await signedIn(t.app, await makeStaff(t.app, role));
        const list = await b.get('/newsroom/outbox');
        assert.equal(list.statusCode, 403, role);
        assert.doesNotMatch(list.body, /reader@example\.org/);
        const one = await b.get(`/newsroom/outbox/${firstId}`);
        assert.equal(one.statusCode, 403, role);
        assert.doesNotMatch(one.body, /reader@example\.org|Please confirm/);
      }
      const anon = await t.app.inject(`/newsroom/outbox/${firstId}`);
      assert.equal(anon.statusCode, 303);
      assert.match(String(anon.headers.location), /^\/newsroom\/sign-in/);
    });
  });
}
