import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '#lib/errors.ts';
import { getCurrentPrivacyPolicy, privacyPolicyPage } from '#settings';
import { layout } from './layout.ts';
import type { SiteRuntime } from './runtime.ts';

/** The current version of the publication's privacy policy. */
export function registerPrivacyRoute(app: FastifyInstance, site: SiteRuntime): void {
  app.get('/privacy', (request, reply) =>
    site.serve(request, reply, 'privacy', async (ctx) => {
      const policy = await getCurrentPrivacyPolicy(site.deps.settings);
      if (!policy)
        throw new NotFoundError('SITE_NOT_FOUND', 'This publication has not published a privacy policy yet.');
      const p = privacyPolicyPage(policy, ctx.settings);
      return {
        body: layout(ctx, { title: p.title, description: p.description, canonicalPath: '/privacy', main: p.main }),
        lastModified: p.lastModified,
      };
    }),
  );
}
