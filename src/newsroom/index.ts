import fs from 'node:fs';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { findStaffOwner } from '#accounts';
import { findArticleOwner } from '#articles';
import { getSettings } from '#settings';
import { registerRoutes, type FrameworkDeps } from './framework.ts';
import { newsroomRoutes } from './routes.ts';

export { newsroomRoutes } from './routes.ts';
export type { RouteSpec } from './framework.ts';

const NEWSROOM_CSP = [
  "default-src 'none'",
  "base-uri 'none'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "script-src 'none'",
  "style-src 'self'",
].join('; ');

const css = fs.readFileSync(new URL('../../public/newsroom.css', import.meta.url));

/** Staff pages under /newsroom: never cached, strict CSP, CSRF on every form. */
export async function registerNewsroom(app: FastifyInstance): Promise<void> {
  await app.register(
    async (nr) => {
      await nr.register(cookie);
      await nr.register(formbody, { bodyLimit: 1024 * 1024 });
      await nr.register(csrf, {
        sessionPlugin: '@fastify/cookie',
        cookieKey: 'masthead_csrf',
        cookieOpts: { path: '/newsroom', httpOnly: true, sameSite: 'strict', secure: 'auto' },
        getToken: (req) => {
          const b = req.body as Record<string, unknown> | undefined;
          return typeof b?._csrf === 'string' ? b._csrf : undefined;
        },
      });
      nr.addHook('onSend', async (_request, reply, payload) => {
        reply.header('cache-control', 'no-store').header('content-security-policy', NEWSROOM_CSP).header('x-robots-tag', 'noindex, nofollow');
        return payload;
      });
      nr.get('/assets/newsroom.css', (_request, reply) => reply.type('text/css; charset=utf-8').send(css));
      const m = app.masthead;
      const deps: FrameworkDeps = {
        accounts: m.accounts,
        publicationName: async () => (await getSettings(m.settings)).name,
        ownerOf: {
          article: (id) => findArticleOwner(m.articles, id),
          staff: (id) => findStaffOwner(m.accounts, id),
        },
      };
      registerRoutes(nr, deps, newsroomRoutes);
    },
    { prefix: '/newsroom' },
  );
}
