import fs from 'node:fs';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance } from 'fastify';
import { findStaffOwner } from '#accounts';
import { findArticleOwner, findMediaOwner } from '#articles';
import { getSettings } from '#settings';
import { ownCsp } from './edition-routes.ts';
import { newsroomErrorHandler } from './errors.ts';
import { issuedNonce, registerRoutes, type FrameworkDeps } from './framework.ts';
import { MULTIPART_OPTIONS, readMultipartForm } from './media-upload.ts';
import { newsroomRoutes } from './routes.ts';

export { newsroomRoutes } from './routes.ts';
export type { RouteSpec } from './framework.ts';

/**
 * Scripts run only with this response's nonce ('strict-dynamic' lets a nonced script load
 * others; ours loads none). Responses that issued no nonce run no script at all.
 */
function newsroomCsp(nonce: string | undefined): string {
  return [
    "default-src 'none'",
    "base-uri 'none'",
    "connect-src 'self'",
    "form-action 'self'",
    // Only our own pages in frames: the newsletter preview (which sends its own stricter CSP).
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    nonce ? `script-src 'nonce-${nonce}' 'strict-dynamic'` : "script-src 'none'",
    "style-src 'self'",
  ].join('; ');
}

const css = fs.readFileSync(new URL('../../public/newsroom.css', import.meta.url));
const editorJs = fs.readFileSync(new URL('../../public/newsroom-editor.js', import.meta.url));

/** Staff pages under /newsroom: never cached, strict CSP, CSRF on every form. */
export async function registerNewsroom(app: FastifyInstance): Promise<void> {
  await app.register(
    async (nr) => {
      await nr.register(cookie);
      await nr.register(formbody, { bodyLimit: 1024 * 1024 });
      // Multipart forms (image uploads) become plain bodies before the CSRF check reads `_csrf`.
      await nr.register(multipart, MULTIPART_OPTIONS);
      nr.addHook('preValidation', readMultipartForm);
      await nr.register(csrf, {
        sessionPlugin: '@fastify/cookie',
        cookieKey: 'masthead_csrf',
        cookieOpts: { path: '/newsroom', httpOnly: true, sameSite: 'strict', secure: 'auto' },
        getToken: (req) => {
          const b = req.body as Record<string, unknown> | undefined;
          return typeof b?._csrf === 'string' ? b._csrf : undefined;
        },
      });
      nr.addHook('onSend', async (request, reply, payload) => {
        // A route may set a stricter policy of its own (the sandboxed newsletter preview does).
        const csp = ownCsp(request) ?? newsroomCsp(issuedNonce(request));
        reply
          .header('cache-control', 'no-store')
          .header('content-security-policy', csp)
          .header('x-robots-tag', 'noindex, nofollow');
        return payload;
      });
      nr.get('/assets/newsroom.css', (_request, reply) => reply.type('text/css; charset=utf-8').send(css));
      nr.get('/assets/newsroom-editor.js', (_request, reply) =>
        reply.type('text/javascript; charset=utf-8').send(editorJs),
      );
      const m = app.masthead;
      nr.setErrorHandler((err: FastifyError, request, reply) =>
        newsroomErrorHandler(err, request, reply, async () => (await getSettings(m.settings)).name),
      );
      const deps: FrameworkDeps = {
        accounts: m.accounts,
        publicationName: async () => (await getSettings(m.settings)).name,
        ownerOf: {
          article: (id) => findArticleOwner(m.articles, id),
          media: (id) => findMediaOwner(m.articles, id),
          staff: (id) => findStaffOwner(m.accounts, id),
        },
      };
      registerRoutes(nr, deps, newsroomRoutes);
    },
    { prefix: '/newsroom' },
  );
}
