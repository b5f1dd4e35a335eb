// Editing the appeal in the newsroom, on every dialect: owners and admins only, strict amounts, pages follow.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';
import { makeStaff, signedIn } from '#test/newsroom.ts';
import { until } from '#test/newsletter.ts';

function formOf(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const m of body.matchAll(/<input id="f-([^"]+)" name="([^"]+)" value="([^"]*)"/g))
    out[m[2]!] = m[3]!.replaceAll('&amp;', '&');
  for (const m of body.matchAll(/<textarea id="f-[^"]+" name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) out[m[1]!] = m[2]!;
  out.currencies = [...body.matchAll(/name="currencies" value="([A-Z]{3})" checked/g)].map((m) => m[1]!);
  out.defaultFrequency = /<option value="([a-z]+)" selected>/.exec(body)?.[1] ?? '';
  return out;
}

for (const dialect of dialects) {
  describe(`newsroom reader support settings on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('an admin changes copy, amounts and limits; readers see them; bad amounts are refused per field', async () => {
      const admin = await signedIn(t.app, await makeStaff(t.app, 'admin'));
      const a = await makeArticle(t.app.masthead.articles, { withImage: false });
      const page = await admin.get('/newsroom/support/settings');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /TEST MODE — no money moves/);
      const form = formOf(page.body);
      assert.equal(form['suggested.USD.month'], '5, 10, 20');
      assert.equal(form['limits.month.min'], '2');

      const bad = await admin.post('/newsroom/support/settings', {
        ...form,
        'suggested.USD.month': '5, 10.001, 20',
        'limits.year.min': 'ten',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /fractions of a cent/);
      assert.match(bad.body, /as a number/);
      const inverted = await admin.post('/newsroom/support/settings', {
        ...form,
        'limits.once.min': '50',
        'limits.once.max': '5',
      });
      assert.equal(inverted.statusCode, 400);

      const ok = await admin.post('/newsroom/support/settings', {
        ...form,
        title: 'Keep the lights on',
        'suggested.EUR.month': '3, 7, 15',
        'limits.month.min': '3',
        currencies: ['EUR', 'USD'],
      });
      assert.equal(ok.statusCode, 303);
      const body = await until(async () => {
        const b = (await t.app.inject(`/articles/${a.slug}`)).body;
        return b.includes('Keep the lights on') ? b : null;
      }, 'the new appeal');
      assert.match(body, /€3\/month/);
      assert.match(body, /€7\/month/);
      const audit = await t.testDb.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'support.settings_changed')
        .execute();
      assert.equal(audit.length, 1);
    });

    test('editors and below cannot open or change it', async () => {
      for (const role of ['editor', 'author', 'contributor'] as const) {
        const b = await signedIn(t.app, await makeStaff(t.app, role));
        assert.equal((await b.get('/newsroom/support/settings')).statusCode, 403, role);
        assert.equal((await b.post('/newsroom/support/settings', { title: 'x' })).statusCode, 403, role);
      }
    });
  });
}
