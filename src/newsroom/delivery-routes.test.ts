import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deliveryProgress, startSending } from '#newsletter';
import { createTestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { addRenderedEdition, addSubscribers } from '#test/delivery.ts';
import { startFaultySmtp, type Fault } from '#test/faulty-smtp.ts';
import { makeStaff, signedIn } from '#test/newsroom.ts';
import { until } from '#test/newsletter.ts';

const FROM = 'The Meridian Dispatch <news@meridian.example>';

for (const dialect of dialects) {
  test(
    `the delivery page: live progress, pause and resume with CSRF, errors without addresses (${dialect})`,
    { timeout: 60_000 },
    async () => {
      const smtp = await startFaultySmtp({
        keep: false,
        faults: new Map<string, Fault>([['reader3@example.net', { kind: 'reject' }]]),
      });
      const t = await createTestApp(dialect, {
        env: { SMTP_URL: smtp.url, MAIL_FROM: FROM, NEWSLETTER_BATCH_SIZE: '5' },
      });
      try {
        const deps = t.app.masthead.newsletter;
        const db = t.testDb.db;
        await addSubscribers(db, 12);
        const id = await addRenderedEdition(db, { subject: 'Friday <b>edition</b>' });
        const editor = await signedIn(t.app, await makeStaff(t.app, 'editor'));
        const url = `/newsroom/newsletter/editions/${id}/delivery`;

        // Before sending: a page with nothing to do, no refresh, no buttons.
        let res = await editor.get(url);
        assert.equal(res.statusCode, 200);
        assert.match(res.body, /Not started/);
        assert.match(res.body, /Friday &lt;b&gt;edition&lt;\/b&gt;/, 'the subject is escaped');
        assert.equal(res.headers.refresh, undefined);
        assert.doesNotMatch(res.body, /Pause sending|Resume sending/);

        await startSending(deps, id);
        res = await editor.get(url);
        assert.equal(res.headers.refresh, '5', 'refreshes by itself while sending, without JavaScript');
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.match(res.body, /<progress id="delivery-progress" max="12" value="0">/);
        assert.match(res.body, /<dd id="delivery-remaining">12<\/dd>/);
        assert.doesNotMatch(res.body, /<script/);

        // Pause: refused without the CSRF token, accepted with it.
        const noToken = await editor.post(`${url}/pause`, {}, { csrf: null });
        assert.equal(noToken.statusCode, 403);
        assert.equal((await deliveryProgress(deps, id)).status, 'sending');
        const crossSite = await editor.post(`${url}/pause`, {}, { origin: 'https://evil.example' });
        assert.equal(crossSite.statusCode, 403);
        res = await editor.post(`${url}/pause`, {});
        assert.equal(res.statusCode, 303);
        assert.equal(res.headers.location, `${url}?done=paused`);
        res = await editor.get(String(res.headers.location));
        assert.match(res.body, /Sending paused\./);
        assert.match(res.body, /Resume sending/);
        assert.equal(res.headers.refresh, undefined);
        // Pausing a paused edition is harmless.
        assert.equal((await editor.post(`${url}/pause`, {})).statusCode, 303);

        t.app.masthead.startWorker();
        assert.equal((await deliveryProgress(deps, id)).sent, 0, 'a paused edition is not sent');
        res = await editor.post(`${url}/resume`, {});
        assert.equal(res.statusCode, 303);
        await until(async () => (await deliveryProgress(deps, id)).status === 'sent', 'the edition to be sent');
        res = await editor.get(url);
        assert.match(res.body, /<strong id="delivery-status">Sent<\/strong>/);
        assert.match(res.body, /<dd id="delivery-sent">11<\/dd>/);
        assert.match(res.body, /<dd id="delivery-failed">1<\/dd>/);
        assert.match(res.body, /<progress id="delivery-progress" max="12" value="12">/);
        assert.match(res.body, /550/, 'the server’s answer is shown');
        assert.doesNotMatch(res.body, /reader3@example\.net|@example\.net/, 'no recipient address on the page');
        assert.doesNotMatch(res.body, /Pause sending|Resume sending/);

        // A finished edition cannot be paused: a clear 409, not a 500.
        res = await editor.post(`${url}/pause`, {});
        assert.equal(res.statusCode, 409);
        assert.match(res.body, /Only an edition that is sending can be paused/);
        // Unknown or malformed ids: 404.
        assert.equal((await editor.get('/newsroom/newsletter/editions/999999/delivery')).statusCode, 404);
        assert.equal((await editor.get('/newsroom/newsletter/editions/abc/delivery')).statusCode, 404);
        assert.equal((await editor.post('/newsroom/newsletter/editions/999999/delivery/resume', {})).statusCode, 404);

        // Authors and contributors may not see or steer a send.
        for (const role of ['author', 'contributor'] as const) {
          const b = await signedIn(t.app, await makeStaff(t.app, role));
          assert.equal((await b.get(url)).statusCode, 403);
          assert.equal((await b.post(`${url}/pause`, {})).statusCode, 403);
        }
      } finally {
        await t.close();
        await smtp.close();
      }
    },
  );
}
