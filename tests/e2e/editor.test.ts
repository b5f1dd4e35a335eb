// An editor at work in a real browser with JavaScript on: the toolbar appears, the preview
// follows the typing, the draft saves itself, and the page's CSP lets our one nonced script
// run without a single violation. Then the same page with JavaScript off: no toolbar, and
// the Preview button still renders the preview through the server.
//
// Needs MASTHEAD_TEST_CHROMIUM (e.g. /usr/bin/chromium); scripts/test.ts skips this file
// without it (and fails in CI).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createArticle, getArticleForEditing } from '#articles';
import { createTestApp, type TestApp } from '#test/app.ts';
import { makeStaff, signedIn } from '#test/newsroom.ts';

const executablePath = process.env.MASTHEAD_TEST_CHROMIUM;

describe(
  'writing in the newsroom editor (JavaScript on and off)',
  { skip: executablePath ? false : 'set MASTHEAD_TEST_CHROMIUM', timeout: 180_000 },
  () => {
    let t: TestApp;
    let origin: string;
    let browser: Browser;
    let articleId: number;
    let sessionToken: string;
    const problems: string[] = [];

    before(async () => {
      t = await createTestApp('sqlite');
      const editor = await makeStaff(t.app, 'editor');
      sessionToken = (await signedIn(t.app, editor)).cookies.get('masthead_session') ?? '';
      articleId = await createArticle(
        t.app.masthead.articles,
        { headline: 'A draft about the harbour', bodyMarkdown: 'The first paragraph.' },
        { createdBy: editor.id },
      );
      origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
      browser = await chromium.launch({
        executablePath,
        args: [
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
    });

    after(async () => {
      await browser?.close().catch(() => {});
      await t?.close();
    });

    async function open(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page }> {
      const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
      await context.addCookies([{ name: 'masthead_session', value: sessionToken, url: origin }]);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('console', (msg) => {
        if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(msg.text());
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      page.on('request', (req) => {
        if (!req.url().startsWith('data:') && new URL(req.url()).origin !== origin)
          problems.push(`foreign request: ${req.url()}`);
      });
      page.on('response', (res) => {
        if (res.status() >= 400) problems.push(`${res.url()}: HTTP ${res.status()}`);
      });
      return { context, page };
    }

    test('the preview follows the typing, the toolbar formats, and the draft saves itself', async () => {
      const { context, page } = await open(true);
      try {
        assert.equal((await page.goto(`${origin}/newsroom/articles/${articleId}`))?.status(), 200);
        await page.locator('.nr-toolbar').waitFor({ state: 'visible' });
        // The preview is there without pressing Preview.
        await page.locator('#preview-article .nr-preview-html p', { hasText: 'The first paragraph.' }).waitFor();

        const body = page.locator('#bodyMarkdown');
        await body.fill('');
        await body.pressSequentially('Boats came in at dawn. <script>window.bad = 1</script>', { delay: 5 });
        await page.locator('#preview-article .nr-preview-html p', { hasText: 'Boats came in at dawn.' }).waitFor();
        assert.equal(
          await page.locator('#preview-article script').count(),
          0,
          'the preview went through the sanitiser',
        );

        // Select "dawn" and press Bold.
        await body.evaluate((el: { value: string; setSelectionRange(start: number, end: number): void }) => {
          const at = el.value.indexOf('dawn');
          el.setSelectionRange(at, at + 4);
        });
        await page.getByRole('button', { name: 'Bold' }).click();
        assert.match(await body.inputValue(), /at \*\*dawn\*\*\./);
        await page.locator('#preview-article .nr-preview-html strong', { hasText: 'dawn' }).waitFor();

        await page.locator('#headline').fill('Boats at dawn');
        assert.equal((await page.locator('#preview-article h1').textContent())?.trim(), 'Boats at dawn');

        await page.locator('#autosave-status', { hasText: /Saved at/ }).waitFor({ timeout: 25_000 });
        const saved = await getArticleForEditing(t.app.masthead.articles, articleId);
        assert.equal(saved.headline, 'Boats at dawn');
        assert.match(saved.bodyMarkdown, /\*\*dawn\*\*/);
        assert.equal(saved.status, 'draft');
      } finally {
        await context.close();
      }
    });

    test('without JavaScript there is no toolbar and Preview renders on the server', async () => {
      const { context, page } = await open(false);
      try {
        await page.goto(`${origin}/newsroom/articles/${articleId}`);
        assert.equal(await page.locator('.nr-toolbar').isVisible(), false);
        await page.getByRole('button', { name: 'Preview' }).click();
        await page.locator('#preview-article .nr-preview-html strong', { hasText: 'dawn' }).waitFor();
      } finally {
        await context.close();
      }
    });

    test('no CSP violations, console errors, failed or foreign requests', () => {
      assert.deepEqual(problems, []);
    });
  },
);
