// The newsroom's whole publishing journey in a real browser: the owner sets up the
// installation and turns on two-factor sign-in, invites an author and an editor by email
// (read from the development outbox); the author uploads a photo and writes a draft with it
// as the lead image and submits it; the editor schedules it; the background job publishes it
// and it appears on the home page and in the feed. JavaScript is off throughout: every step
// must work as plain forms.
//
// Needs MASTHEAD_TEST_CHROMIUM (e.g. /usr/bin/chromium); scripts/test.ts skips this file
// without it (and fails in CI).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { base32Decode, hotp, totpStep } from '../../src/accounts/totp.ts';
import { createTestApp, type TestApp } from '#test/app.ts';

const executablePath = process.env.MASTHEAD_TEST_CHROMIUM;

function totpNow(secret: string): string {
  const key = base32Decode(secret.replace(/\s/g, ''));
  if (!key) throw new Error('unreadable TOTP secret');
  return hotp(key, totpStep(new Date()));
}

describe(
  'from first run to a published article (JavaScript off)',
  { skip: executablePath ? false : 'set MASTHEAD_TEST_CHROMIUM', timeout: 240_000 },
  () => {
    let t: TestApp;
    let origin: string;
    let browser: Browser;
    const problems: string[] = [];

    before(async () => {
      t = await createTestApp('sqlite');
      t.app.masthead.startWorker();
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

    async function newPage(): Promise<Page> {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on('request', (req) => {
        if (!req.url().startsWith('data:') && new URL(req.url()).origin !== origin)
          problems.push(`foreign request: ${req.url()}`);
      });
      page.on('response', (res) => {
        if (res.status() >= 500) problems.push(`${res.url()}: HTTP ${res.status()}`);
      });
      return page;
    }

    /** Enrols TOTP on the page the newsroom sends a new owner or editor to. */
    async function enrolTotp(page: Page): Promise<void> {
      await page.waitForURL(/\/newsroom\/account\/two-factor$/);
      const secret = await page.locator('.nr-secret').innerText();
      await page.fill('#code', totpNow(secret));
      await page.click('button:has-text("Turn on two-factor sign-in")');
      await page.waitForSelector('text=Save these recovery codes');
      assert.equal(await page.locator('.nr-codes li').count(), 10);
    }

    /** The invitation link in the newest outbox message to this address. */
    async function invitationLink(owner: Page, email: string): Promise<string> {
      await owner.goto(`${origin}/newsroom/outbox?to=${encodeURIComponent(email)}`);
      await owner.click(`a:has-text("invited to")`);
      const text = await owner.locator('.nr-mail-text').innerText();
      const link = /https?:\/\/[^\s]+\/newsroom\/invite\/[A-Za-z0-9_-]{43}/.exec(text)?.[0];
      assert.ok(link, text);
      return link.replace(/^https?:\/\/[^/]+/, origin);
    }

    async function acceptInvitation(link: string, name: string): Promise<Page> {
      const page = await newPage();
      await page.goto(link);
      await page.fill('#name', name);
      await page.fill('#password', `${name.toLowerCase()} walks the harbour at dawn`);
      await page.click('button:has-text("Create my account")');
      return page;
    }

    test('owner, author and editor take an article from nothing to the front page', async () => {
      // The owner sets up the newsroom.
      const owner = await newPage();
      await owner.goto(`${origin}/newsroom`);
      await owner.waitForURL(/\/newsroom\/setup$/);
      await owner.fill('#name', 'Olga Owner');
      await owner.fill('#email', 'olga@news.example.test');
      await owner.fill('#password', 'olga keeps the lighthouse lamp burning');
      await owner.click('button:has-text("Create owner account")');
      await enrolTotp(owner);

      // Invitations go out by email; without SMTP they wait in the outbox.
      for (const [email, role] of [
        ['ana@news.example.test', 'author'],
        ['ed@news.example.test', 'editor'],
      ] as const) {
        await owner.goto(`${origin}/newsroom/staff`);
        await owner.fill('#invite-email', email);
        await owner.selectOption('#invite-role', role);
        await owner.click('button:has-text("Send invitation")');
        await owner.waitForSelector('text=Invitation sent.');
      }

      // The author joins, uploads a photo and writes a draft around it.
      const author = await acceptInvitation(await invitationLink(owner, 'ana@news.example.test'), 'Ana');
      await author.waitForURL(`${origin}/newsroom`);
      await author.goto(`${origin}/newsroom/media`);
      const photo = await sharp({ create: { width: 1400, height: 800, channels: 3, background: '#2f5d7c' } })
        .jpeg()
        .toBuffer();
      await author.setInputFiles('input[type=file]', { name: 'harbour.jpg', mimeType: 'image/jpeg', buffer: photo });
      await author.click('button:has-text("Upload")');
      await author.waitForURL(/\/newsroom\/media\/\d+/);
      const mediaId = /\/media\/(\d+)/.exec(author.url())?.[1];
      assert.ok(mediaId);

      await author.goto(`${origin}/newsroom/articles/new`);
      await author.fill('#headline', 'Harbour pilots refuse to guide the grain ships');
      await author.fill('#standfirst', 'A quiet strike at the port of Dravik.');
      await author.fill(
        '#bodyMarkdown',
        'The pilots met at dawn.\n\n> "We will not take them out," one pilot said.\n\nThe port authority did not respond.',
      );
      await author.fill('#tags', 'Labour, Economy');
      await author.fill('#leadMediaId', mediaId);
      await author.fill('#leadAlt', 'Pilot boats moored at the quay');
      await author.fill('#leadCaption', 'Pilot boats at Dravik on Tuesday.');
      await author.fill('#leadCredit', 'Ana Author / Meridian Dispatch');
      await author.click('button[value=save]');
      await author.waitForURL(/\/newsroom\/articles\/\d+$/);
      await author.click('button:has-text("Submit for review")');
      await author.waitForSelector('text=submitted for review');
      // Authors may publish their own work, so the button is there; this author leaves it to the editors.
      assert.equal(await author.locator('button:has-text("Publish now")').count(), 1);

      // The editor joins (two-factor is required for editors) and schedules it.
      const editor = await acceptInvitation(await invitationLink(owner, 'ed@news.example.test'), 'Ed');
      await enrolTotp(editor);
      await editor.goto(`${origin}/newsroom/articles?status=submitted`);
      await editor.click('a:has-text("Harbour pilots refuse")');
      const at = new Date(Date.now() + 4000).toISOString().slice(0, 19);
      await editor.fill('#at', at);
      await editor.click('button:has-text("Schedule")');
      await editor.waitForSelector('text=Status: scheduled');

      // The job publishes it at its time; readers see it on the front page and in the feed.
      const reader = await newPage();
      const slug = 'harbour-pilots-refuse-to-guide-the-grain-ships';
      let status = 0;
      for (let i = 0; i < 60 && status !== 200; i++) {
        status = (await reader.goto(`${origin}/articles/${slug}`))?.status() ?? 0;
        if (status !== 200) await new Promise((r) => setTimeout(r, 500));
      }
      assert.equal(status, 200);
      assert.equal(await reader.locator('h1.headline').innerText(), 'Harbour pilots refuse to guide the grain ships');
      assert.match(
        await reader.locator('figure.lead-image figcaption').innerText(),
        /Photo: Ana Author \/ Meridian Dispatch/,
      );
      await reader.goto(`${origin}/`);
      assert.ok((await reader.content()).includes(`/articles/${slug}`));
      const feed = await reader.request.get(`${origin}/feed.xml`);
      assert.match(await feed.text(), /Harbour pilots refuse to guide the grain ships/);
      assert.deepEqual(problems, []);
    });
  },
);
