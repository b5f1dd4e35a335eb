// Signup against the is_email test cases (Dominic Sayers' set, shipped in the npm package
// email-addresses): every address the set calls an error is refused with a clean 400, the
// plainly valid ones are accepted, and nothing ever answers 500 or lets a header through.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fromDbJson } from '#db';
import { createTestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { postSignup } from '#test/newsletter.ts';

const root = path.resolve(import.meta.dirname, '../../..');

interface Case {
  id: string;
  address: string;
  category: string;
  diagnosis: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/** The set writes control characters as their U+2400 "symbol for" pictures; turn them back. */
function decode(s: string): string {
  return s
    .replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/[\u2400-\u241f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x2400));
}

function loadCases(): Case[] {
  const xml = fs.readFileSync(path.join(root, 'node_modules/email-addresses/test/tests.xml'), 'utf8');
  const cases: Case[] = [];
  for (const m of xml.matchAll(/<test id="([^"]+)">([\s\S]*?)<\/test>/g)) {
    const body = m[2] ?? '';
    const field = (name: string) => {
      if (new RegExp(`<${name}\\s*/>`).test(body)) return '';
      const f = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(body);
      return f ? decode(f[1] ?? '') : null;
    };
    const address = field('address');
    const category = field('category');
    const diagnosis = field('diagnosis');
    if (address === null || category === null || diagnosis === null)
      throw new Error(`test ${m[1]} has an unexpected shape`);
    cases.push({ id: m[1] ?? '', address, category, diagnosis });
  }
  return cases;
}

const cases = loadCases();

for (const dialect of dialects) {
  describe(`signup with the is_email cases on ${dialect}`, () => {
    test('errors refused, valid accepted, never a 500 or an injected header', async () => {
      assert.ok(cases.length >= 150, `only ${cases.length} cases read`);
      const t = await createTestApp(dialect);
      try {
        const k = t.testDb.db.kysely;
        let ip = 0;
        const accepted: string[] = [];
        const seen = new Map<string, number>();
        for (const c of cases) {
          ip++;
          const res = await postSignup(
            t.app,
            { email: c.address },
            { ip: `10.${(ip >> 8) & 255}.${ip & 255}.1`, referer: '/newsletter' },
          );
          const label = `case ${c.id} ${JSON.stringify(c.address)} (${c.diagnosis})`;
          const normal = c.address.trim().toLowerCase();
          // Several cases differ only in surrounding whitespace, which the form trims: after
          // three signups for one address in an hour the throttle answers 429, by design.
          const tries = (seen.get(normal) ?? 0) + 1;
          seen.set(normal, tries);
          if (res.statusCode === 429 && tries > 3) continue;
          assert.ok(res.statusCode === 303 || res.statusCode === 400, `${label} → ${res.statusCode}`);
          if (res.statusCode === 400) assert.match(res.body, /Please enter a valid email address/, label);
          // An error in the set is never accepted (hyphen-edged domains are the set's DNS
          // opinion, not RFC 5322's). Whitespace around an address is trimmed, not an error.
          if (c.category === 'ISEMAIL_ERR' && !/DOMAINHYPHEN/.test(c.diagnosis) && c.address === c.address.trim())
            assert.equal(res.statusCode, 400, `${label} was accepted`);
          // Valid ones are accepted, except single-label domains (`test@io`): they cannot take
          // public mail, and the mailer refuses them.
          if (c.category === 'ISEMAIL_VALID_CATEGORY' && c.address.slice(c.address.lastIndexOf('@')).includes('.'))
            assert.equal(res.statusCode, 303, `${label} was refused`);
          if (res.statusCode === 303) accepted.push(normal);
        }
        const rows = await k.selectFrom('subscribers').select('email').execute();
        assert.deepEqual(new Set(rows.map((r) => r.email)), new Set(accepted));
        for (const r of rows) {
          // eslint-disable-next-line no-control-regex
          assert.doesNotMatch(r.email, /[\u0000-\u001f\u007f,;<>]/, `stored ${JSON.stringify(r.email)}`);
        }
        // Each confirmation goes to exactly one address, a stored one (a repeated signup of a
        // pending address sends a fresh confirmation, so there can be more mails than rows).
        const queued = await k.selectFrom('jobs').select('payload').where('type', '=', 'mail.send').execute();
        const recipients = queued.map((j) => fromDbJson<{ to?: unknown }>(j.payload as string | object | null, {}).to);
        assert.deepEqual(new Set(recipients), new Set(rows.map((r) => r.email)));
      } finally {
        await t.close();
      }
    });
  });
}
