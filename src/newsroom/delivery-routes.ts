import { deliveryOverview, pauseSending, resumeSending } from '#newsletter';
import { deliveryView } from './delivery-views.ts';
import type { RouteContext, RouteSpec } from './framework.ts';
import { requireIdParam, str } from '#http';

const FLASH: Record<string, string> = { paused: 'Sending paused.', resumed: 'Sending resumed.' };
/** Seconds between refreshes while an edition is sending. */
const REFRESH_SECONDS = 5;

function editionId(ctx: RouteContext): number {
  return requireIdParam(ctx.request);
}

/**
 * An edition's delivery: live progress, Pause and Resume. Editors and above, like composing.
 * While sending, the page asks the browser to reload it (a Refresh header: no script needed).
 */
export const deliveryRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/newsletter/editions/:id/delivery',
    access: 'staff',
    action: 'newsletter.compose',
    async handler(ctx) {
      const m = ctx.request.server.masthead;
      const o = await deliveryOverview(m.newsletter, editionId(ctx));
      const live = o.status === 'sending';
      ctx.reply.header('cache-control', 'no-store');
      if (live) ctx.reply.header('refresh', String(REFRESH_SECONDS));
      return ctx.page(
        `Delivery: ${o.subject}`,
        deliveryView(o, { csrf: ctx.csrf(), mailMode: m.mail.mailer.mode, live }),
        {
          flash: FLASH[str(ctx.request.query, 'done')] ?? null,
        },
      );
    },
  },
  {
    method: 'POST',
    url: '/newsletter/editions/:id/delivery/pause',
    access: 'staff',
    action: 'newsletter.compose',
    async handler(ctx) {
      const id = editionId(ctx);
      await pauseSending(ctx.request.server.masthead.newsletter, id);
      return ctx.reply.redirect(`/newsroom/newsletter/editions/${id}/delivery?done=paused`, 303);
    },
  },
  {
    method: 'POST',
    url: '/newsletter/editions/:id/delivery/resume',
    access: 'staff',
    action: 'newsletter.compose',
    async handler(ctx) {
      const id = editionId(ctx);
      await resumeSending(ctx.request.server.masthead.newsletter, id);
      return ctx.reply.redirect(`/newsroom/newsletter/editions/${id}/delivery?done=resumed`, 303);
    },
  },
];
