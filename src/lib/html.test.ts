import assert from 'node:assert/strict';
import { test } from 'node:test';
import { html, jsonForScript, unsafeRaw } from './html.ts';

test('interpolations are escaped by default', () => {
  const name = `<script>alert("x")</script> & 'friends'`;
  assert.equal(
    html`<p title="${name}">${name}</p>`.toString(),
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;</p>',
  );
});

test('nested templates, arrays and falsy values compose without double escaping', () => {
  const items = ['a&b', 'c'];
  const out = html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${false}${null}${undefined}${0}`;
  assert.equal(out.toString(), '<ul><li>a&amp;b</li><li>c</li></ul>0');
  assert.equal(html`${unsafeRaw('<b>x</b>')}`.toString(), '<b>x</b>');
});

test('JSON for a script block cannot break out of the element', () => {
  const out = jsonForScript({ headline: '</script><script>alert(1)</script>' }).toString();
  assert.ok(!out.includes('</script'));
  assert.deepEqual(JSON.parse(out), { headline: '</script><script>alert(1)</script>' });
});
