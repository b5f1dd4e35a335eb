import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedDemo } from '#articles';
import { createTestApp } from '#test/app.ts';
import { applyDemoSettings } from './server.ts';

test('the demo publishes its own privacy policy, so its signup forms link to a real page', async () => {
  const t = await createTestApp('sqlite');
  try {
    await seedDemo(t.app.masthead.articles);
    await applyDemoSettings(t.app);
    const newsletter = (await t.app.inject('/newsletter')).body;
    assert.match(newsletter, /agree to the <a href="\/privacy">Privacy Policy<\/a>/);
    const policy = await t.app.inject('/privacy');
    assert.equal(policy.statusCode, 200);
    assert.match(policy.body, /<h2[^>]*>The newsletter<\/h2>/);
    assert.match(policy.body, /payment provider/);
    assert.match(policy.body, /no tracking pixels/);
    // Applying the demo settings again publishes no second version.
    await applyDemoSettings(t.app);
    assert.match((await t.app.inject('/privacy')).body, /version 1|Version 1/);
  } finally {
    await t.close();
  }
});
