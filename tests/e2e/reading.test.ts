// A reader's journey through the demo publication in a real browser, with JavaScript off:
// front page → lead story → a tag page. The site must work without scripts and must not
// make the browser talk to anyone but us.
//
// Needs MASTHEAD_TEST_CHROMIUM (e.g. /usr/bin/chromium); scripts/test.ts skips this file
// without it (and fails in CI).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { getPublishedArticle, seedDemo } from '#articles';
import { createTestApp, type TestApp } from '#test/app.ts';

const executablePath = process.env.MASTHEAD_TEST_CHROMIUM;

describe(
  'reading the demo publication in a browser (no JavaScript)',
  { skip: executablePath ? false : 'set MASTHEAD_TEST_CHROMIUM', timeout: 180_000 },
  () => {
    let t: TestApp;
    let origin: string;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const foreignRequests: string[] = [];
    const consoleErrors: string[] = [];
    const failedRequests: string[] = [];

    before(async () => {
      t = await createTestApp('sqlite');
      const seeded = await seedDemo(t.app.masthead.articles);
      assert.ok(seeded.seeded && seeded.articles > 0, 'the demo publication was seeded');
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
      context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('request', (req) => {
        const url = req.url();
        if (url.startsWith('data:')) return;
        if (new URL(url).origin !== origin) foreignRequests.push(url);
      });
      page.on('response', (res) => {
        if (res.status() >= 400) failedRequests.push(`${res.url()}: HTTP ${res.status()}`);
      });
      page.on('requestfailed', (req) => failedRequests.push(`${req.url()}: ${req.failure()?.errorText ?? 'failed'}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') consoleErrors.push(msg.text());
      });
      page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
    });

    after(async () => {
      await context?.close().catch(() => {});
      await browser?.close().catch(() => {});
      await t?.close();
    });

    /** The response of the next top-level navigation whose URL matches. */
    function navigation(url: RegExp): Promise<Response> {
      return page.waitForResponse(
        (r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame() && url.test(r.url()),
      );
    }

    /** On failure, keep a screenshot of what the browser showed. */
    async function step(tc: TestContext, fn: () => Promise<void>): Promise<void> {
      try {
        await fn();
      } catch (err) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masthead-e2e-'));
        const file = path.join(dir, `${tc.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
        const shot = await page.screenshot({ path: file, fullPage: true }).then(
          () => `screenshot: ${file}`,
          (e: Error) => `no screenshot: ${e.message}`,
        );
        tc.diagnostic(`${shot} (page: ${page.url()})`);
        console.error(`[e2e] ${tc.name} failed; ${shot}`);
        throw err;
      }
    }

    let articleUrl = '';
    let articleSlug = '';

    test('the front page shows the brand and links to articles', async (tc) => {
      await step(tc, async () => {
        const res = await page.goto(`${origin}/`);
        assert.equal(res?.status(), 200);
        const h1 = page.locator('h1');
        assert.ok((await h1.count()) >= 1, 'the front page has an h1');
        const brand = page.locator('header .brand');
        const brandText = (await brand.textContent())?.trim() ?? '';
        assert.ok(brandText.length > 0, 'the brand names the publication');
        assert.equal(
          (await h1.first().textContent())?.trim(),
          brandText,
          'the (visually hidden) h1 names the publication',
        );
        assert.ok((await page.locator('main a[href^="/articles/"]').count()) >= 5, 'the front page links to articles');
        assert.ok((await page.locator('.lead-story a[href^="/articles/"]').count()) > 0, 'there is a lead story');
      });
    });

    test('clicking the lead story opens the article with its photo credit and related reading', async (tc) => {
      await step(tc, async () => {
        const lead = page.locator('.lead-story .card-title a');
        const leadHeadline = (await lead.textContent())?.trim();
        const [res] = await Promise.all([navigation(/\/articles\/[a-z0-9-]+$/), lead.click()]);
        assert.equal(res.status(), 200);
        articleUrl = page.url();
        articleSlug = decodeURIComponent(new URL(articleUrl).pathname.split('/').pop() ?? '');

        const article = await getPublishedArticle(t.app.masthead.articles, articleSlug);
        assert.equal(article.headline, leadHeadline, 'the lead card and the article agree on the headline');
        assert.equal((await page.locator('h1').textContent())?.trim(), article.headline);
        assert.equal(
          await page.title(),
          `${article.headline} – ${(await page.locator('header .brand').textContent())?.trim()}`,
        );

        assert.ok(article.lead?.credit, 'the demo lead story has a credited image');
        const figcaption = page.locator('figure.lead-image figcaption');
        assert.ok(
          ((await figcaption.textContent()) ?? '').includes(article.lead.credit),
          `the figcaption credits ${article.lead.credit}`,
        );
        // Caption and credit are two lines, not one run-on sentence.
        const caption = await page.locator('figure.lead-image figcaption .caption').boundingBox();
        const credit = await page.locator('figure.lead-image figcaption .credit').boundingBox();
        assert.ok(caption && credit, 'the demo lead image has a caption and a credit');
        assert.ok(credit.y >= caption.y + caption.height - 1, 'the credit sits below the caption');
        // Everything on the page is inside a landmark, the support banner included.
        const outside = await page
          .locator('body > *')
          .evaluateAll((els: { matches(selector: string): boolean; outerHTML: string }[]) =>
            els
              .filter((el) => !el.matches('header, nav, main, aside, footer, section[aria-labelledby], .skip-link'))
              .map((el) => el.outerHTML.slice(0, 80)),
          );
        assert.deepEqual(outside, [], 'no content outside a landmark');
        const img = page.locator('figure.lead-image img');
        assert.equal(await img.getAttribute('alt'), article.lead.alt);
        // The image really loaded (same origin, decodable).
        await img.scrollIntoViewIfNeeded();
        assert.ok(
          await img.evaluate((el: { complete: boolean; naturalWidth: number }) => el.complete && el.naturalWidth > 0),
          'the lead image loaded',
        );

        const readMore = page.locator('aside.read-more');
        assert.equal((await readMore.locator('h2').textContent())?.trim(), 'Read more');
        const related = await readMore
          .locator('a[href^="/articles/"]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('href')));
        const distinct = [...new Set(related)];
        assert.ok(distinct.length >= 3 && distinct.length <= 5, `Read more has 3–5 articles (got ${distinct.length})`);
        assert.ok(!distinct.includes(`/articles/${articleSlug}`), 'Read more does not suggest the article being read');
      });
    });

    test('a tag link leads to a topic page that lists the article', async (tc) => {
      await step(tc, async () => {
        assert.ok(articleSlug, 'the previous step opened an article');
        const tagLink = page.locator('ul.tags a[rel="tag"]').first();
        const tagName = (await tagLink.textContent())?.trim();
        const [res] = await Promise.all([navigation(/\/tag\/[a-z0-9-]+$/), tagLink.click()]);
        assert.equal(res.status(), 200);
        assert.equal((await page.locator('h1').textContent())?.trim(), tagName);
        assert.ok(
          (await page.locator(`main a[href="/articles/${articleSlug}"]`).count()) >= 1,
          'the topic page lists the article we came from',
        );
      });
    });

    test('on a 390 px phone the section menu scrolls and shows that it does', async (tc) => {
      await step(tc, async () => {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(`${origin}/`);
        const nav = page.locator('.site-nav ul');
        type Styled = { scrollWidth: number; clientWidth: number };
        type Window = { getComputedStyle(el: Styled): { backgroundImage: string; backgroundAttachment: string } };
        const { overflows, images, attachments } = await nav.evaluate((el: Styled) => {
          const style = (globalThis as unknown as Window).getComputedStyle(el);
          return {
            overflows: el.scrollWidth > el.clientWidth,
            images: style.backgroundImage,
            attachments: style.backgroundAttachment,
          };
        });
        assert.ok(overflows, 'the demo has more sections than fit at 390 px');
        // Scroll shadows: covers that move with the links over shadows fixed at the edges.
        assert.equal(attachments, 'local, local, scroll, scroll');
        assert.equal(images.match(/gradient\(/g)?.length, 4);
        await page.setViewportSize({ width: 1280, height: 900 });
      });
    });

    test('the browser talked only to the app and logged no errors', async (tc) => {
      await step(tc, async () => {
        assert.deepEqual(foreignRequests, [], 'no requests to other origins');
        assert.deepEqual(consoleErrors, [], 'no console errors (CSP violations, failed loads, …)');
        assert.deepEqual(failedRequests, [], 'no failed requests');
      });
    });
  },
);
