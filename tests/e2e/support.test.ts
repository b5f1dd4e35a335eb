// A reader gives $5 a month in a real browser through the test provider, gets the receipt
// from a real SMTP server on loopback, opens the manage link and cancels; once with
// JavaScript on and once with it off. No request may leave our origin.
//
// Needs MASTHEAD_TEST_CHROMIUM (e.g. /usr/bin/chromium).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { updateSettings } from '#settings';
import { createTestApp, type TestApp } from '#test/app.ts';
import { makeArticle } from '#test/factories.ts';
import { startSmtpSink, type SmtpSink } from '#test/smtp-sink.ts';

const executablePath = process.env.MASTHEAD_TEST_CHROMIUM;

describe(
  'giving monthly and cancelling in a browser',
  { skip: executablePath ? false : 'set MASTHEAD_TEST_CHROMIUM', timeout: 180_000 },
  () => {
    let t: TestApp;
    let sink: SmtpSink;
    let origin: string;
    let browser: Browser;
    let articlePath: string;

    before(async () => {
      sink = await startSmtpSink();
      t = await createTestApp('sqlite', {
        env: { SMTP_URL: sink.url, MAIL_FROM: 'The Test Dispatch <news@example.org>' },
      });
      articlePath = `/articles/${(await makeArticle(t.app.masthead.articles, { withImage: false })).slug}`;
      origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
      // Links in mail and provider return addresses use the publication's address.
      await updateSettings(t.app.masthead.settings, { baseUrl: origin });
      t.app.masthead.changeFeed.publish();
      t.app.masthead.startWorker();
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
      await sink?.close();
    });

    async function mailFor(to: string, count: number) {
      const end = Date.now() + 15_000;
      while (sink.messages.filter((m) => m.to.includes(to)).length < count && Date.now() < end)
        await new Promise((r) => setTimeout(r, 50));
      const mine = sink.messages.filter((m) => m.to.includes(to));
      assert.ok(mine.length >= count, `expected ${count} mails to ${to}, got ${mine.length}`);
      return mine[count - 1]!;
    }

    async function journey(javaScriptEnabled: boolean, email: string) {
      const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1200, height: 900 } });
      const page: Page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const foreign: string[] = [];
      page.on('request', (req) => {
        const url = req.url();
        if (!url.startsWith('data:') && new URL(url).origin !== origin) foreign.push(url);
      });
      const before = sink.messages.length;
      try {
        await page.goto(`${origin}${articlePath}`);
        const appeal = page.locator('aside.appeal');
        await appeal.scrollIntoViewIfNeeded();
        assert.match(await appeal.innerText(), /TEST MODE — no money moves/);
        await appeal.getByText('Monthly', { exact: true }).click();
        await appeal.getByText('$5/month', { exact: true }).click();
        // The period is on the button too.
        assert.match(await appeal.getByRole('button', { name: /Continue/ }).innerText(), /give monthly/);
        assert.equal(
          await appeal.getByText('$60/year', { exact: true }).isVisible(),
          false,
          'other frequencies’ amounts are hidden',
        );
        await appeal.getByRole('button', { name: /Continue/ }).click();

        await page.waitForURL(/\/support\/test-checkout\/cs_test_/);
        assert.match(await page.locator('main').innerText(), /TEST MODE — no money moves/);
        assert.match(await page.locator('main').innerText(), /\$5\/month/);
        await page.getByLabel('Email for the receipt').fill(email);
        await page.getByRole('button', { name: /Pay \$5\/month \(test\)/ }).click();

        await page.waitForURL(/\/support\/thanks/);
        assert.match(await page.locator('h1').innerText(), /Thank you/);
        assert.match(await page.locator('main').innerText(), /\$5\/month/);

        const receipt = await mailFor(email, 1);
        assert.match(receipt.parsed.subject ?? '', /receipt/i);
        const text = receipt.parsed.text ?? '';
        assert.match(text, /\$5 USD/);
        assert.match(text, /monthly support/);
        const manage = /(https?:\/\/\S+\/support\/manage)\b/.exec(text)?.[1];
        assert.ok(manage, text);

        // No more asks in this browser after giving.
        await page.goto(`${origin}${articlePath}`);
        assert.equal(await page.locator('aside.appeal').count(), 0);

        await page.goto(manage);
        await page.getByLabel('Email address').first().fill(email);
        await page.getByRole('button', { name: 'Email me a link' }).click();
        await page.waitForURL(/\/support\/manage\/sent/);
        const linkMail = await mailFor(email, 2);
        const link = /(https?:\/\/\S+\/support\/manage\/[A-Za-z0-9_-]{43})/.exec(linkMail.parsed.text ?? '')?.[1];
        assert.ok(link);
        await page.goto(link);
        await page.getByRole('button', { name: 'Open my support page' }).click();
        await page.waitForURL(/\/support\/manage\/account/);
        const plan = page.locator('section.plan');
        assert.match(await plan.innerText(), /\$5\/month/);
        assert.match(await plan.innerText(), /Active/);
        await plan.getByRole('button', { name: 'Cancel my monthly support' }).click();
        await page.waitForURL(/done=cancelled/);
        assert.match(await page.locator('.notice').innerText(), /cancelled/);
        assert.match(await page.locator('section.plan').innerText(), /Cancelled/);
        const confirmation = await mailFor(email, 3);
        assert.match(confirmation.parsed.text ?? '', /cancelled/);
        assert.ok(sink.messages.length >= before + 3);
        assert.deepEqual(foreign, [], 'no request left our origin');
      } finally {
        await context.close();
      }
    }

    test('on the support page, JavaScript names the amount and period on the button; without it the button still says the period', async () => {
      for (const javaScriptEnabled of [true, false]) {
        const context = await browser.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        await page.goto(`${origin}/support?currency=GBP`);
        const form = page.locator('form.give-form');
        await form.getByText('Annual', { exact: true }).click();
        await form.getByText('£60/year', { exact: true }).click();
        const label = await form.getByRole('button').innerText();
        if (javaScriptEnabled) assert.equal(label, 'Give £60 a year');
        else assert.match(label, /Continue: give annually/);
        if (javaScriptEnabled) {
          await form.getByLabel(/Other amount \(£\)/).fill('75.50');
          assert.equal(await form.getByRole('button').innerText(), 'Give £75.50 a year');
        }
        await context.close();
      }
    });

    test('with JavaScript on: article → appeal → Monthly $5 → Continue → test checkout → thank-you → receipt → manage link → cancel → confirmation', async () => {
      await journey(true, 'js-on@example.org');
    });

    test('with JavaScript off: the same journey with plain form posts', async () => {
      await journey(false, 'js-off@example.org');
    });
  },
);
