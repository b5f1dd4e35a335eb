import assert from 'node:assert/strict';
import { test } from 'node:test';
import { helmetHeaders } from './security-headers.ts';

test('helmetHeaders records what helmet sets for the configuration, in order', () => {
  const headers = helmetHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], imgSrc: ["'self'", 'data:'] } },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: false,
  });
  const byName = new Map(headers);
  assert.equal(byName.get('content-security-policy'), "default-src 'none';img-src 'self' data:");
  assert.equal(byName.get('referrer-policy'), 'same-origin');
  assert.equal(byName.get('x-content-type-options'), 'nosniff');
  assert.equal(byName.has('strict-transport-security'), false, 'switched off');
  assert.equal(headers[0]?.[0], 'content-security-policy', 'helmet sets the policy first');
  assert.equal(new Set(headers.map(([name]) => name)).size, headers.length, 'no name twice');
});

test('helmetHeaders refuses a configuration helmet refuses', () => {
  assert.throws(() =>
    helmetHeaders({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'; script-src *"] } },
    }),
  );
});
