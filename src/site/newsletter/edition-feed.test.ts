import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEdition, saveComposer, scheduleEdition, sendDueEdition, type ItemTexts } from '#editions';
import { updateSettings } from '#settings';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';
import { all, one, parseXml, readAsHtml, textOf } from '#test/xml.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
const noTexts = (): ItemTexts => ({ headings: new Map(), blurbs: new Map() });

for (const dialect of dialects) {
  describe(`the edition archive feed on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('subject, preheader and channel text reach feed readers as text, not elements', async () => {
      await updateSettings(t.app.masthead.settings, { newsletterDescription: `Weekly ${HOSTILE}` });
      const article = await makeArticle(t.app.masthead.articles, { headline: 'The ferry returns', slug: 'ferry' });
      const d = t.app.masthead.editions;
      const id = await createEdition(d, null);
      const fields = { subject: `Ferries ${HOSTILE}`, preheader: `Tides & ${HOSTILE}`, intro: 'Hello', signOff: 'Bye' };
      await saveComposer(d, id, fields, noTexts(), { op: 'add-article', articleId: article.id });
      await scheduleEdition(d, id, null);
      assert.equal(await sendDueEdition(d, id), 'sent');

      const res = await t.app.inject('/newsletter/feed.xml');
      assert.equal(res.statusCode, 200);
      const channel = one(parseXml(res.body), 'channel');
      const [item] = all(channel, 'item');
      assert.ok(item, 'the sent edition is in the feed');
      for (const [field, expected] of [
        [textOf(item, 'title'), `Ferries ${HOSTILE}`],
        [textOf(item, 'description'), `Tides & ${HOSTILE}`],
        [channel.children.find((c) => c.name === 'title')!.text, 'Masthead newsletter'],
        [channel.children.find((c) => c.name === 'description')!.text, `Weekly ${HOSTILE}`],
      ] as const) {
        const seen = readAsHtml(field);
        assert.deepEqual(seen.elements, [], `elements in ${JSON.stringify(field)}`);
        assert.equal(seen.text, expected);
      }
    });
  });
}
