// The newsletter's whole journey in a real browser, with a real SMTP server on loopback as
// the app's mail server: a reader signs up under an article, the confirmation email arrives,
// the reader follows it and confirms; an editor composes an edition (search, add, blurb),
// previews it, and sends it; the worker delivers it; the message arrives with the headers
// mail providers look for; a one-click POST to its List-Unsubscribe address unsubscribes.
// A second reader signs up with JavaScript off.
//
// Needs MASTHEAD_TEST_CHROMIUM (e.g. /usr/bin/chromium); scripts/test.ts skips this file
// without it (and fails in CI).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { updateSettings } from '#settings';
import { createTestApp, type TestApp } from '#test/app.ts';
import { makeArticle } from '#test/factories.ts';
import { makeStaff, signedIn } from '#test/newsroom.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '#test/smtp-sink.ts';

const executablePath = process.env.MASTHEAD_TEST_CHROMIUM;
const READER = 'reader.one@example.org';
const SECOND_READER = 'reader.two@example.org';

describe(
  'the newsletter from signup to one-click unsubscribe',
  { skip: executablePath ? false : 'set MASTHEAD_TEST_CHROMIUM', timeout: 240_000 },
  () => {
    let sink: SmtpSink;
    let t: TestApp;
    let origin: string;
    let browser: Browser;
    let article: { id: number; slug: string };
    const problems: string[] = [];

    before(async () => {
      sink = await startSmtpSink();
      t = await createTestApp('sqlite', {
        env: { SMTP_URL: sink.url, MAIL_FROM: 'newsletter@news.example.test', NEWSLETTER_RETRY_BASE_MS: '50' },
      });
      article = await makeArticle(t.app.masthead.articles, {
        headline: 'Harbour cranes fall silent',
        slug: 'harbour-cranes',
        standfirst: 'The port has not seen a ship in nine days',
      });
      t.app.masthead.startWorker();
      origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
      // Links and images in mail are absolute on the base URL: make it this server.
      await updateSettings(t.app.masthead.settings, { baseUrl: origin });
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

    async function newPage(opts: { javaScript: boolean }): Promise<Page> {
      const context = await browser.newContext({
        javaScriptEnabled: opts.javaScript,
        viewport: { width: 1280, height: 900 },
      });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on('request', (req) => {
        const u = req.url();
        if (!u.startsWith('data:') && !u.startsWith('about:') && new URL(u).origin !== origin)
          problems.push(`foreign request: ${u}`);
      });
      page.on('response', (res) => {
        if (res.status() >= 500) problems.push(`${res.url()}: HTTP ${res.status()}`);
      });
      return page;
    }

    /** Mail to an address, waiting for it: the worker sends in the background. */
    async function mailTo(address: string, count: number, subject?: RegExp): Promise<ReceivedMail> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const found = sink.messages.filter(
          (m) => m.to.includes(address) && (!subject || subject.test(m.parsed.subject ?? '')),
        );
        if (found.length >= count) return found[count - 1] as ReceivedMail;
        if (Date.now() > deadline)
          throw new Error(
            `no mail ${count} to ${address}; got ${sink.messages.map((m) => m.parsed.subject).join(', ')}`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    }

    /** One header of a received message, unfolded, from the raw source. */
    function header(m: ReceivedMail, name: string): string | null {
      const head = m.raw.split(/\r?\n\r?\n/)[0] ?? '';
      const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
      const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
      return line ? line.slice(name.length + 1).trim() : null;
    }

    async function confirmFrom(page: Page, address: string): Promise<void> {
      const mail = await mailTo(address, 1, /confirm/i);
      const link = /http:\/\/127\.0\.0\.1:\d+\/newsletter\/confirm\/[A-Za-z0-9_-]{43}/.exec(
        mail.parsed.text ?? '',
      )?.[0];
      assert.ok(link, mail.parsed.text);
      await page.goto(link);
      await page.click('button:has-text("Confirm my subscription")');
      await page.waitForLoadState();
      if (!page.url().endsWith('/newsletter/confirmed'))
        throw new Error(
          `${page.url()}: ${await page
            .locator('main')
            .innerText()
            .catch(() => '')}`,
        );
      assert.match(await page.locator('h1').innerText(), /You are subscribed/);
    }

    test('sign up under an article, confirm, get the edition an editor composed and sent, leave in one click', async () => {
      // The reader.
      const reader = await newPage({ javaScript: true });
      await reader.goto(`${origin}/articles/${article.slug}`);
      await reader.fill('#newsletter-email', READER);
      await reader.click('.newsletter-form button[type="submit"]');
      await reader.waitForURL(/\/newsletter\/check-your-email$/);
      await confirmFrom(reader, READER);
      const sub = await t.app.masthead.db.kysely
        .selectFrom('subscribers')
        .select(['status', 'source'])
        .where('email', '=', READER)
        .executeTakeFirstOrThrow();
      assert.equal(sub.status, 'active');
      assert.equal(sub.source, `/articles/${article.slug}`);

      // The editor, already signed in with both factors.
      const staff = await makeStaff(t.app, 'editor', 'Edith Editor');
      const session = (await signedIn(t.app, staff)).cookies.get('masthead_session');
      assert.ok(session);
      const editor = await newPage({ javaScript: true });
      await editor.context().addCookies([{ name: 'masthead_session', value: session, url: origin }]);
      await editor.goto(`${origin}/newsroom/newsletter`);
      await editor.click('button:has-text("New edition")');
      await editor.waitForURL(/\/newsroom\/newsletter\/editions\/\d+$/);
      const editionUrl = editor.url();
      await editor.fill('#q', 'harbour');
      await editor.click('form[role="search"] button');
      await editor.click(`button[value="add-article:${article.id}"] >> nth=0`);
      await editor.waitForSelector('.nr-edition-item');
      await editor.fill('#subject', 'The Friday letter: ports & promises');
      await editor.fill('#preheader', 'Nine days without a ship');
      await editor.fill('#intro', 'Dear readers,\n\nA quiet week on the water.');
      await editor.fill('.nr-edition-item textarea', 'Our reporter spent a night with the crane operators.');
      await editor.fill('#signOff', 'The editors');
      await editor.click('form.nr-composer > button[value="save"]:not(.visually-hidden)');
      await editor.waitForSelector('text=Saved.');

      // Preview: both widths and the text version.
      await editor.click('a:has-text("Preview")');
      await editor.waitForURL(/\/preview$/);
      assert.equal(await editor.locator('iframe').count(), 2);
      const frame = editor.frameLocator('iframe.nr-mail-phone');
      await frame.locator('text=Harbour cranes fall silent').first().waitFor();
      assert.match(
        await editor.locator('.nr-mail-text').innerText(),
        /Our reporter spent a night with the crane operators\./,
      );

      // Send now.
      await editor.goto(editionUrl);
      await editor.click('button:has-text("Send now")');
      await editor.waitForSelector('text=Sending starts within a minute.');

      const edition = await mailTo(READER, 1, /Friday letter/);
      assert.equal(edition.parsed.subject, 'The Friday letter: ports & promises');
      assert.match(edition.parsed.html || '', /Harbour cranes fall silent/);
      assert.match(edition.parsed.text ?? '', /Our reporter spent a night with the crane operators\./);
      assert.ok(!(edition.parsed.html || '').includes('{{'), 'placeholders were replaced');
      const listUnsubscribe = header(edition, 'List-Unsubscribe');
      assert.ok(listUnsubscribe, 'List-Unsubscribe is present');
      const https = /<(http:\/\/127\.0\.0\.1:\d+\/newsletter\/unsubscribe\/[^>]+)>/.exec(listUnsubscribe)?.[1];
      assert.ok(https, listUnsubscribe);
      assert.match(listUnsubscribe, /<mailto:[^>]+@news\.example\.test>/);
      assert.equal(header(edition, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
      assert.match(header(edition, 'List-Id') ?? '', /<newsletter\.news\.example\.test>$/);
      assert.match(header(edition, 'Message-ID') ?? '', /^<[^@\s]+@news\.example\.test>$/);
      assert.ok(
        !listUnsubscribe.includes(READER) && !https.includes(encodeURIComponent(READER)),
        'the token does not reveal the address',
      );

      // The edition's web page is public, and the signup block now previews it.
      const web = /http:\/\/127\.0\.0\.1:\d+\/newsletter\/editions\/[a-z0-9-]+/.exec(edition.parsed.text ?? '')?.[0];
      assert.ok(web);
      await reader.goto(web);
      assert.equal(await reader.locator('h1').innerText(), 'The Friday letter: ports & promises');
      await reader.goto(`${origin}/articles/${article.slug}`);
      // The browser may keep the page from before for a minute (max-age): revalidate.
      await reader.reload();
      assert.equal(
        await reader.locator('.newsletter-signup a:has-text("Preview")').getAttribute('href'),
        new URL(web).pathname,
      );

      // One-click unsubscribe as a mail provider does it: a POST, no cookies, no redirect.
      const res = await fetch(https, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
        redirect: 'manual',
      });
      assert.equal(res.status, 200);
      const after = await t.app.masthead.db.kysely
        .selectFrom('subscribers')
        .select('status')
        .where('email', '=', READER)
        .executeTakeFirstOrThrow();
      assert.equal(after.status, 'unsubscribed');
      assert.deepEqual(problems, []);
    });

    test('signup works with JavaScript off', async () => {
      const page = await newPage({ javaScript: false });
      await page.goto(`${origin}/newsletter`);
      await page.fill('#newsletter-email', SECOND_READER);
      await page.click('.newsletter-form button[type="submit"]');
      await page.waitForURL(/\/newsletter\/check-your-email$/);
      await confirmFrom(page, SECOND_READER);
      const row = await t.app.masthead.db.kysely
        .selectFrom('subscribers')
        .select(['status', 'source'])
        .where('email', '=', SECOND_READER)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'active');
      assert.equal(row.source, '/newsletter');
      assert.deepEqual(problems, []);
    });
  },
);
