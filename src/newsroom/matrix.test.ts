import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Action, Ownership, StaffRole } from '#accounts';
import { hashPassword } from '../accounts/passwords.ts';
import { createTestApp, type TestApp } from '#test/app.ts';
import { dialects } from '#test/db.ts';
import { makeArticle, testImage } from '#test/factories.ts';
import { uploadImage } from '#articles';
import { Browser, signedIn, STRONG_PASSWORD } from '#test/newsroom.ts';
import { newsroomRoutes } from './routes.ts';

const ROLES: StaffRole[] = ['owner', 'admin', 'editor', 'author', 'contributor'];

// The specification, written out by hand from the issue rather than derived from the code.
const ALLOWED: Record<Action, Record<StaffRole, Ownership[]>> = {
  'newsroom.view': { owner: ['none'], admin: ['none'], editor: ['none'], author: ['none'], contributor: ['none'] },
  'articles.create': { owner: ['none'], admin: ['none'], editor: ['none'], author: ['none'], contributor: ['none'] },
  'media.upload': { owner: ['none'], admin: ['none'], editor: ['none'], author: ['none'], contributor: ['none'] },
  'media.edit': {
    owner: ['own', 'other'],
    admin: ['own', 'other'],
    editor: ['own', 'other'],
    author: ['own'],
    contributor: ['own'],
  },
  'articles.edit': {
    owner: ['own', 'other'],
    admin: ['own', 'other'],
    editor: ['own', 'other'],
    author: ['own'],
    contributor: ['own'],
  },
  'articles.submit': {
    owner: ['own', 'other'],
    admin: ['own', 'other'],
    editor: ['own', 'other'],
    author: ['own'],
    contributor: ['own'],
  },
  'articles.publish': {
    owner: ['own', 'other'],
    admin: ['own', 'other'],
    editor: ['own', 'other'],
    author: ['own'],
    contributor: [],
  },
  'newsletter.compose': { owner: ['none'], admin: ['none'], editor: ['none'], author: [], contributor: [] },
  'staff.manage': {
    owner: ['none', 'own', 'other'],
    admin: ['none', 'own', 'other'],
    editor: [],
    author: [],
    contributor: [],
  },
  'settings.manage': { owner: ['none'], admin: ['none'], editor: [], author: [], contributor: [] },
  'audit.view': { owner: ['none'], admin: ['none'], editor: [], author: [], contributor: [] },
  'supporters.view': { owner: ['none'], admin: ['none'], editor: [], author: [], contributor: [] },
  'audience.view': { owner: ['none'], admin: ['none'], editor: ['none'], author: [], contributor: [] },
  'revenue.view': { owner: ['none'], admin: ['none'], editor: [], author: [], contributor: [] },
  'ledger.export': { owner: ['none'], admin: [], editor: [], author: [], contributor: [] },
};

// On top of the role rules: nobody changes their own role, deactivates themselves or resets
// their own second factor, so a newsroom cannot lock itself out (or weaken itself) by accident.
const NEVER_ON_SELF = new Set(['/staff/:id/role', '/staff/:id/deactivate', '/staff/:id/reset-two-factor']);

const staffRoutes = newsroomRoutes.filter((r) => r.access === 'staff');

for (const dialect of dialects) {
  describe(`newsroom role × route × object matrix on ${dialect}`, () => {
    let t: TestApp;
    let hash: string;
    const people = new Map<StaffRole, { id: number; browser: Browser }>();

    async function insertStaff(role: StaffRole): Promise<number> {
      const now = new Date().toISOString();
      const r = await t.testDb.db.kysely
        .insertInto('staff')
        .values({
          email: `${role}-${crypto.randomBytes(5).toString('hex')}@news.example.test`,
          name: `${role} ${crypto.randomBytes(2).toString('hex')}`,
          role,
          status: 'active',
          password_hash: hash,
          totp_secret: null,
          totp_enabled: ['owner', 'admin', 'editor'].includes(role) ? 1 : 0,
          totp_last_step: null,
          recovery_codes: '[]',
          author_id: null,
          created_at: now,
          updated_at: now,
          password_changed_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    }

    before(async () => {
      t = await createTestApp(dialect);
      hash = await hashPassword(STRONG_PASSWORD);
      for (const role of ROLES) {
        const id = await insertStaff(role);
        const member = {
          id,
          email: '',
          name: role,
          role,
          active: true,
          totpEnabled: ['owner', 'admin', 'editor'].includes(role),
          authorId: null,
        };
        people.set(role, { id, browser: await signedIn(t.app, member) });
      }
    });
    after(() => t.close());

    test('every staff route names the permission it needs', () => {
      assert.ok(staffRoutes.length >= 10);
      for (const r of staffRoutes)
        assert.ok(r.action, `${r.method} ${r.url} has no action: add it to the route table and to ALLOWED`);
    });

    test('every cell answers as specified', async () => {
      const failures: string[] = [];
      for (const route of staffRoutes) {
        const action = route.action as Action;
        const ownerships: Ownership[] = route.object ? ['own', 'other', 'none'] : ['none'];
        for (const role of ROLES) {
          const me = people.get(role);
          if (!me) throw new Error('missing person');
          for (const ownership of ownerships) {
            let id = 0;
            if (route.object === 'article') {
              if (ownership === 'none') id = 987654;
              else {
                const ownerId =
                  ownership === 'own' ? me.id : (people.get(role === 'owner' ? 'admin' : 'owner')?.id ?? 0);
                const a = await makeArticle(t.app.masthead.articles, { status: 'draft', withImage: false });
                await t.testDb.db.kysely
                  .updateTable('articles')
                  .set({ created_by: ownerId })
                  .where('id', '=', a.id)
                  .execute();
                id = a.id;
              }
            } else if (route.object === 'media') {
              if (ownership === 'none') id = 987654;
              else {
                const uploader =
                  ownership === 'own' ? me.id : (people.get(role === 'owner' ? 'admin' : 'owner')?.id ?? 0);
                id = await uploadImage(t.app.masthead.articles, await testImage(64, 48), {
                  originalName: 'm.png',
                  uploadedBy: uploader,
                });
              }
            } else if (route.object === 'staff') {
              id = ownership === 'own' ? me.id : ownership === 'other' ? await insertStaff('contributor') : 987654;
            }
            const url = `/newsroom${route.url.replace(':id', String(id))}`.replace(/\/$/, '') || '/newsroom';
            const body: Record<string, string> = route.url.endsWith('/role')
              ? { role: 'author' }
              : route.url.endsWith('/schedule')
                ? { at: '2030-01-01T09:00' }
                : route.url === '/account/password'
                  ? { current: STRONG_PASSWORD, password: `${STRONG_PASSWORD} and more` }
                  : route.url === '/account/email'
                    ? {
                        current: STRONG_PASSWORD,
                        email: `moved-${crypto.randomBytes(4).toString('hex')}@news.example.test`,
                      }
                    : {};
            const res = route.method === 'GET' ? await me.browser.get(url) : await me.browser.post(url, body);
            if (route.url === '/account/password')
              await t.testDb.db.kysely
                .updateTable('staff')
                .set({ password_hash: hash })
                .where('id', '=', me.id)
                .execute();
            if (
              route.url === '/sign-out-everywhere' ||
              (route.object === 'staff' && ownership === 'own' && res.statusCode < 400)
            ) {
              const member = {
                id: me.id,
                email: '',
                name: role,
                role,
                active: true,
                totpEnabled: ['owner', 'admin', 'editor'].includes(role),
                authorId: null,
              };
              me.browser = await signedIn(t.app, member);
            }
            const allowed =
              ALLOWED[action][role].includes(ownership) && !(ownership === 'own' && NEVER_ON_SELF.has(route.url));
            const signedOutOnPurpose = route.url === '/sign-out-everywhere' && res.statusCode === 303;
            const cell = `${role} ${route.method} ${route.url} (${ownership}) -> ${res.statusCode}`;
            if (res.statusCode >= 500) failures.push(`${cell}: server error`);
            else if (route.object && ownership === 'none') {
              if (res.statusCode !== 404) failures.push(`${cell}: expected 404`);
            } else if (
              allowed &&
              !signedOutOnPurpose &&
              (res.statusCode === 403 ||
                res.statusCode === 401 ||
                (res.statusCode === 303 && /sign-in/.test(String(res.headers.location))))
            ) {
              failures.push(`${cell}: expected to be allowed`);
            } else if (!allowed && res.statusCode !== 403) {
              failures.push(`${cell}: expected 403`);
            }
          }
        }
      }
      assert.deepEqual(failures, []);
    });

    test('signed-out visitors reach no staff route', async () => {
      const anon = new Browser(t.app, '198.51.100.50');
      await anon.get('/newsroom/sign-in');
      for (const route of staffRoutes) {
        const url = `/newsroom${route.url.replace(':id', '1')}`.replace(/\/$/, '') || '/newsroom';
        const res = route.method === 'GET' ? await anon.get(url) : await anon.post(url, {});
        if (route.method === 'GET') {
          assert.equal(res.statusCode, 303, url);
          assert.match(String(res.headers.location), /^\/newsroom\/sign-in/);
        } else assert.equal(res.statusCode, 401, url);
      }
    });
  });
}
