import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getArticleForEditing, listRevisions } from '#articles';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle } from '#test/factories.ts';
import { makeStaff, signedIn, type Browser } from '#test/newsroom.ts';

for (const dialect of dialects) {
  describe(`newsroom editor: revisions, autosave, live preview on ${dialect}`, () => {
    let t: TestApp;
    let editor: Browser;
    let editorId: number;

    before(async () => {
      t = await createTestApp(dialect);
      const member = await makeStaff(t.app, 'editor');
      editorId = member.id;
      editor = await signedIn(t.app, member);
    });
    after(() => t.close());

    /** A draft created by the given staff member, through the editor. */
    async function draftBy(b: Browser, headline: string, bodyMarkdown = 'First paragraph.'): Promise<number> {
      await b.get('/newsroom/articles/new');
      const res = await b.post('/newsroom/articles', { headline, standfirst: 'A standfirst', bodyMarkdown });
      assert.equal(res.statusCode, 303);
      const id = Number(/\/newsroom\/articles\/(\d+)$/.exec(String(res.headers.location))?.[1]);
      assert.ok(id > 0);
      return id;
    }

    const revisions = (id: number) => listRevisions(t.app.masthead.articles, id);

    test('every save keeps a revision, and the history lists them', async () => {
      const id = await draftBy(editor, 'Council meets');
      assert.equal((await revisions(id)).total, 1, 'creating is the first save');
      assert.equal(
        (
          await editor.post(`/newsroom/articles/${id}`, {
            headline: 'Council meets at last',
            bodyMarkdown: 'Second version.',
          })
        ).statusCode,
        303,
      );
      assert.equal(
        (
          await editor.post(`/newsroom/articles/${id}`, {
            headline: 'Council meets at last',
            bodyMarkdown: 'Third version.',
          })
        ).statusCode,
        303,
      );
      const history = await revisions(id);
      assert.equal(history.total, 3);
      assert.deepEqual(
        history.items.map((r) => r.createdBy),
        [editorId, editorId, editorId],
      );
      const page = await editor.get(`/newsroom/articles/${id}/revisions`);
      assert.equal(page.statusCode, 200);
      for (const r of history.items)
        assert.match(page.body, new RegExp(`href="/newsroom/articles/${id}/revisions/${r.id}"`));
    });

    test('the diff page marks removed and added lines and escapes what it shows', async () => {
      const id = await draftBy(editor, 'Diff me', 'Line one.\n\n<script>alert(1)</script>\n\nLine three.');
      const [first] = (await revisions(id)).items;
      assert.ok(first);
      await editor.post(`/newsroom/articles/${id}`, {
        headline: 'Diff me',
        standfirst: 'A standfirst',
        bodyMarkdown: 'Line one.\n\nLine two <b>bold</b>.\n\nLine three.',
      });
      const res = await editor.get(`/newsroom/articles/${id}/revisions/${first.id}`);
      assert.equal(res.statusCode, 200);
      assert.match(
        res.body,
        /<del><span class="visually-hidden">Removed: <\/span>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/del>/,
      );
      assert.match(
        res.body,
        /<ins><span class="visually-hidden">Added: <\/span>Line two &lt;b&gt;bold&lt;\/b&gt;\.<\/ins>/,
      );
      assert.doesNotMatch(res.body, /<script>alert/);
      assert.doesNotMatch(res.body, /<ins>[^<]*Line one/, 'unchanged lines are not marked');
      assert.match(res.body, new RegExp(`action="/newsroom/articles/${id}/revisions/${first.id}/restore"`));
    });

    test('restoring brings the old words back as a new save', async () => {
      const id = await draftBy(editor, 'Original headline', 'Original body.');
      const [original] = (await revisions(id)).items;
      assert.ok(original);
      await editor.post(`/newsroom/articles/${id}`, {
        headline: 'Rewritten headline',
        standfirst: 'Changed',
        bodyMarkdown: 'Rewritten body.',
        tags: 'keep-me',
      });
      await editor.get(`/newsroom/articles/${id}/revisions/${original.id}`);
      const res = await editor.post(`/newsroom/articles/${id}/revisions/${original.id}/restore`, {});
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/newsroom/articles/${id}`);
      const a = await getArticleForEditing(t.app.masthead.articles, id);
      assert.deepEqual(
        [a.headline, a.standfirst, a.bodyMarkdown],
        ['Original headline', 'A standfirst', 'Original body.'],
      );
      assert.deepEqual(a.tags, ['keep-me'], 'only the words are restored');
      const history = await revisions(id);
      assert.equal(history.total, 3);
      assert.equal(history.items[0]?.note, `restored revision ${original.id}`);
      // The latest revision is now the current text.
      assert.match(
        (await editor.get(`/newsroom/articles/${id}/revisions/${history.items[0]?.id}`)).body,
        /This revision is the current text/,
      );
    });

    test('revision addresses: digits only, and only the article’s own revisions', async () => {
      const id = await draftBy(editor, 'Mine');
      const other = await draftBy(editor, 'Another');
      const [otherRev] = (await revisions(other)).items;
      assert.equal((await editor.get(`/newsroom/articles/${id}/revisions/abc`)).statusCode, 404);
      assert.equal((await editor.get(`/newsroom/articles/${id}/revisions/01`)).statusCode, 404);
      assert.equal((await editor.get(`/newsroom/articles/${id}/revisions/99999999`)).statusCode, 404);
      assert.equal((await editor.get(`/newsroom/articles/${id}/revisions/${otherRev?.id}`)).statusCode, 404);
      assert.equal(
        (await editor.post(`/newsroom/articles/${id}/revisions/${otherRev?.id}/restore`, {})).statusCode,
        404,
      );
      assert.equal((await getArticleForEditing(t.app.masthead.articles, id)).headline, 'Mine');
    });

    test('autosave changes a draft and answers JSON; repeated autosaves keep one revision', async () => {
      const id = await draftBy(editor, 'Autosaved draft');
      await editor.get(`/newsroom/articles/${id}`);
      const first = await editor.post(`/newsroom/articles/${id}/autosave`, {
        headline: 'Autosaved draft',
        standfirst: 'A standfirst',
        bodyMarkdown: 'Typed so far',
      });
      assert.equal(first.statusCode, 200);
      assert.match(String(first.headers['content-type']), /^application\/json/);
      assert.ok(!Number.isNaN(Date.parse((first.json() as { savedAt: string }).savedAt)));
      await editor.post(`/newsroom/articles/${id}/autosave`, {
        headline: 'Autosaved draft',
        standfirst: 'A standfirst',
        bodyMarkdown: 'Typed so far, and more',
      });
      const a = await getArticleForEditing(t.app.masthead.articles, id);
      assert.equal(a.bodyMarkdown, 'Typed so far, and more');
      assert.equal(a.status, 'draft');
      const history = await revisions(id);
      assert.deepEqual(
        history.items.map((r) => r.note),
        ['autosave', ''],
      );
      const bad = await editor.post(`/newsroom/articles/${id}/autosave`, { headline: '   ', bodyMarkdown: 'x' });
      assert.equal(bad.statusCode, 400);
      assert.ok((bad.json() as { errors: Record<string, string> }).errors.headline);
    });

    test('autosave never changes a published article', async () => {
      const { id } = await makeArticle(t.app.masthead.articles, {
        status: 'published',
        withImage: false,
        bodyMarkdown: 'Live text.',
      });
      const page = await editor.get(`/newsroom/articles/${id}`);
      assert.doesNotMatch(page.body, /data-autosave-url/, 'the page does not even offer it');
      const res = await editor.post(`/newsroom/articles/${id}/autosave`, {
        headline: 'Sneaky',
        bodyMarkdown: 'Half-typed',
      });
      assert.equal(res.statusCode, 409);
      assert.equal((res.json() as { code: string }).code, 'ARTICLES_PUBLIC');
      const a = await getArticleForEditing(t.app.masthead.articles, id);
      assert.deepEqual([a.bodyMarkdown, a.status], ['Live text.', 'published']);
    });

    test('autosave needs the CSRF token and the right to edit that article', async () => {
      const id = await draftBy(editor, 'Guarded draft', 'Safe.');
      assert.equal(
        (
          await editor.post(
            `/newsroom/articles/${id}/autosave`,
            { headline: 'Forged', bodyMarkdown: 'x' },
            { csrf: null },
          )
        ).statusCode,
        403,
      );
      assert.equal(
        (
          await editor.post(
            `/newsroom/articles/${id}/autosave`,
            { headline: 'Forged', bodyMarkdown: 'x' },
            { origin: 'https://evil.example' },
          )
        ).statusCode,
        403,
      );
      const contributor = await signedIn(t.app, await makeStaff(t.app, 'contributor'));
      assert.equal(
        (await contributor.post(`/newsroom/articles/${id}/autosave`, { headline: 'Not yours', bodyMarkdown: 'x' }))
          .statusCode,
        403,
      );
      assert.equal((await contributor.post(`/newsroom/articles/${id}/revisions/1/restore`, {})).statusCode, 403);
      assert.equal((await getArticleForEditing(t.app.masthead.articles, id)).headline, 'Guarded draft');
      // Their own draft is fine.
      const own = await draftBy(contributor, 'Contributor draft');
      assert.equal(
        (
          await contributor.post(`/newsroom/articles/${own}/autosave`, {
            headline: 'Contributor draft, better',
            bodyMarkdown: 'x',
          })
        ).statusCode,
        200,
      );
    });

    test('the JSON preview is sanitised Markdown', async () => {
      await editor.get('/newsroom/articles/new');
      const res = await editor.post('/newsroom/articles/preview.json', {
        bodyMarkdown: '**Bold** <script>alert(1)</script> <img src=x onerror=alert(1)>',
      });
      assert.equal(res.statusCode, 200);
      const out = (res.json() as { html: string }).html;
      assert.match(out, /<strong>Bold<\/strong>/);
      assert.doesNotMatch(out, /<script|onerror/);
      assert.equal(
        (await editor.post('/newsroom/articles/preview.json', { bodyMarkdown: 'x' }, { csrf: null })).statusCode,
        403,
      );
    });

    test('editor pages allow only their own nonced script; other pages no script at all', async () => {
      const id = await draftBy(editor, 'Nonce check');
      const nonces: string[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await editor.get(`/newsroom/articles/${id}`);
        const csp = String(res.headers['content-security-policy']);
        const header = /script-src 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'(;|$)/.exec(csp)?.[1];
        const tag = /<script src="\/newsroom\/assets\/newsroom-editor\.js" nonce="([^"]+)" defer><\/script>/.exec(
          res.body,
        )?.[1];
        assert.ok(header && header.length >= 22, csp);
        assert.equal(tag, header);
        assert.match(csp, /default-src 'none'/);
        assert.equal((res.body.match(/<script/g) ?? []).length, 1);
        assert.doesNotMatch(res.body, /\son[a-z]+=/i, 'no inline event handlers');
        nonces.push(header);
      }
      assert.notEqual(nonces[0], nonces[1]);
      const list = await editor.get('/newsroom/articles');
      assert.match(String(list.headers['content-security-policy']), /script-src 'none'/);
      assert.doesNotMatch(list.body, /<script/);
      const js = await editor.get('/newsroom/assets/newsroom-editor.js');
      assert.equal(js.statusCode, 200);
      assert.match(String(js.headers['content-type']), /^text\/javascript/);
    });
  });
}
