import type { FastifyRequest } from 'fastify';
import { listPublishedSummariesBetween, searchArticles } from '#articles';
import { recordAudit } from '#accounts';
import * as editions from '#editions';
import { isAppError, NotFoundError, ValidationError } from '#lib/errors.ts';
import { getSettings, saveSettings } from '#settings';
import { composerView, editionListView, formFromEdition, previewView, type ComposerForm } from './edition-views.ts';
import type { RouteContext, RouteSpec } from './framework.ts';
import { parsePage, requireIdParam, str } from '#http';

const PER_PAGE = 30;

// The preview document is the email itself: inline styles, our images, nothing else. It is
// framed sandboxed (no scripts, opaque origin) and sends this policy instead of the newsroom's.
const previewPolicies = new WeakMap<FastifyRequest, string>();

/** A stricter CSP a route chose for its own response (the newsroom hook uses it instead of the default). */
export function ownCsp(request: FastifyRequest): string | undefined {
  return previewPolicies.get(request);
}

function editionId(request: FastifyRequest): number {
  return requireIdParam(request);
}

function itemTexts(body: unknown): editions.ItemTexts {
  const headings = new Map<number, string>();
  const blurbs = new Map<number, string>();
  for (const key of Object.keys((body as Record<string, unknown> | undefined) ?? {})) {
    const m = /^item-([1-9][0-9]{0,9})-(heading|blurb)$/.exec(key);
    if (m) (m[2] === 'heading' ? headings : blurbs).set(Number(m[1]), str(body, key));
  }
  return { headings, blurbs };
}

async function renderComposer(
  ctx: RouteContext,
  id: number,
  opts: {
    form?: ComposerForm;
    errors?: Record<string, string>;
    scheduleError?: string;
    atInput?: string;
    status?: number;
    flash?: string | null;
  } = {},
) {
  const m = ctx.request.server.masthead;
  const edition = await editions.getEdition(m.editions, id);
  const settings = await getSettings(m.settings);
  const search = str(ctx.request.query, 'q').trim().slice(0, 200);
  const now = m.clock.now();
  const editable = editions.EDITABLE.includes(edition.status);
  const [results, suggestions] = editable
    ? await Promise.all([
        search ? searchArticles(m.articles, search, 1, 20).then((r) => r.items) : Promise.resolve(null),
        listPublishedSummariesBetween(
          m.articles,
          new Date(now.getTime() - 7 * 24 * 3_600_000),
          new Date(now.getTime() + 1),
          30,
        ),
      ])
    : [null, []];
  const main = composerView({
    edition,
    form: opts.form ?? formFromEdition(edition),
    ...(opts.errors ? { errors: opts.errors } : {}),
    ...(opts.scheduleError ? { scheduleError: opts.scheduleError } : {}),
    ...(opts.atInput !== undefined ? { atInput: opts.atInput } : {}),
    csrf: ctx.csrf(),
    timeZone: settings.timeZone,
    search,
    results,
    suggestions,
    defaultAt: editions.nextFridayNine(now, settings.timeZone),
    now,
  });
  return ctx.page(edition.subject, main, { status: opts.status ?? 200, flash: opts.flash ?? null });
}

const flashes: Record<string, string> = {
  saved: 'Saved.',
  tested: 'A test was queued to your address.',
  scheduled: 'Scheduled.',
  sending: 'Sending starts within a minute.',
  unscheduled: 'Back to draft: it will not be sent.',
};

/** The newsletter composer: editions, their items, preview, test send and schedule. Editors and above. */
export const editionRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/newsletter',
    access: 'staff',
    action: 'newsletter.compose',
    async handler({ request, page, csrf }) {
      const m = request.server.masthead;
      const pageNo = parsePage((request.query as Record<string, unknown> | undefined)?.page);
      const [list, settings] = await Promise.all([
        editions.listEditions(m.editions, pageNo, PER_PAGE),
        getSettings(m.settings),
      ]);
      const pageCount = Math.max(1, Math.ceil(list.total / PER_PAGE));
      const block = { title: settings.newsletterTitle, description: settings.newsletterDescription };
      return page(
        'Newsletter',
        editionListView({ ...list, page: pageNo, pageCount, timeZone: settings.timeZone, csrf: csrf(), block }),
      );
    },
  },
  {
    method: 'POST',
    url: '/newsletter/editions',
    access: 'staff',
    action: 'newsletter.compose',
    async handler({ request, reply, session }) {
      const id = await editions.createEdition(request.server.masthead.editions, session?.staff.id ?? null);
      return reply.redirect(`/newsroom/newsletter/editions/${id}`, 303);
    },
  },
  {
    method: 'POST',
    url: '/newsletter/signup-block',
    access: 'staff',
    action: 'newsletter.compose',
    async handler({ request, reply, page, csrf, session }) {
      const m = request.server.masthead;
      const title = str(request.body, 'title');
      const description = str(request.body, 'description');
      try {
        const { changed } = await saveSettings(m.settings, {
          newsletterTitle: title,
          newsletterDescription: description,
        });
        // Key names only, as for the other settings.
        if (changed.length > 0)
          await recordAudit(
            m.accounts,
            session?.staff ?? null,
            'settings.changed',
            { type: 'settings', id: 'newsletter' },
            { keys: changed },
          );
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const errors: Record<string, string> = {};
        if (err.fields.newsletterTitle) errors.title = err.fields.newsletterTitle;
        if (err.fields.newsletterDescription) errors.description = err.fields.newsletterDescription;
        const settings = await getSettings(m.settings);
        const list = await editions.listEditions(m.editions, 1, PER_PAGE);
        const pageCount = Math.max(1, Math.ceil(list.total / PER_PAGE));
        return page(
          'Newsletter',
          editionListView({
            ...list,
            page: 1,
            pageCount,
            timeZone: settings.timeZone,
            csrf: csrf(),
            block: { title, description },
            errors,
          }),
          { status: 400 },
        );
      }
      return reply.redirect('/newsroom/newsletter#signup-block', 303);
    },
  },
  {
    method: 'GET',
    url: '/newsletter/editions/:id',
    access: 'staff',
    action: 'newsletter.compose',
    async handler(ctx) {
      const flash = flashes[str(ctx.request.query, 'done')] ?? null;
      return renderComposer(ctx, editionId(ctx.request), { flash });
    },
  },
  {
    method: 'POST',
    url: '/newsletter/editions/:id',
    access: 'staff',
    action: 'newsletter.compose',
    async handler(ctx) {
      const { request, reply } = ctx;
      const id = editionId(request);
      const b = request.body;
      const newHeading = str(b, 'newHeading');
      const op = editions.parseOp(str(b, 'op'), newHeading);
      if (!op) throw new ValidationError('EDITIONS_BAD_OP', 'That button is not known. Reload the page and try again.');
      const fields = {
        subject: str(b, 'subject'),
        preheader: str(b, 'preheader'),
        intro: str(b, 'intro'),
        signOff: str(b, 'signOff'),
      };
      const texts = itemTexts(b);
      try {
        await editions.saveComposer(request.server.masthead.editions, id, fields, texts, op);
      } catch (err) {
        if (!(err instanceof ValidationError) || err.code !== 'EDITIONS_INVALID') throw err;
        return renderComposer(ctx, id, { form: { ...fields, ...texts, newHeading }, errors: err.fields, status: 400 });
      }
      const anchor = op.op === 'up' || op.op === 'down' ? `#item-${op.itemId}` : '';
      return reply.redirect(`/newsroom/newsletter/editions/${id}?done=saved${anchor}`, 303);
    },
  },
  {
    method: 'GET',
    url: '/newsletter/editions/:id/preview',
    access: 'staff',
    action: 'newsletter.compose',
    async handler({ request, page }) {
      const m = request.server.masthead;
      const id = editionId(request);
      const edition = await editions.getEdition(m.editions, id);
      const rendered = await editions.previewEdition(m.editions, id);
      return page(`Preview: ${edition.subject}`, previewView({ edition, text: rendered.text }));
    },
  },
  {
    method: 'GET',
    url: '/newsletter/editions/:id/preview.html',
    access: 'staff',
    action: 'newsletter.compose',
    async handler({ request, reply }) {
      const m = request.server.masthead;
      const id = editionId(request);
      const rendered = await editions.previewEdition(m.editions, id);
      const settings = await getSettings(m.settings);
      const imageOrigin = URL.parse(settings.baseUrl)?.origin ?? '';
      previewPolicies.set(
        request,
        [
          "default-src 'none'",
          "style-src 'unsafe-inline'",
          `img-src 'self' data: ${imageOrigin}`.trim(),
          "frame-ancestors 'self'",
          "base-uri 'none'",
          "form-action 'none'",
          'sandbox',
        ].join('; '),
      );
      return reply.type('text/html; charset=utf-8').header('x-frame-options', 'SAMEORIGIN').send(rendered.html);
    },
  },
  {
    method: 'POST',
    url: '/newsletter/editions/:id/test',
    access: 'staff',
    action: 'newsletter.compose',
    async handler({ request, reply, session }) {
      const id = editionId(request);
      if (!session) throw new NotFoundError('NEWSROOM_NOT_FOUND');
      await editions.sendTestEdition(request.server.masthead.editions, id, session.staff.email);
      return reply.redirect(`/newsroom/newsletter/editions/${id}?done=tested`, 303);
    },
  },
  {
    method: 'POST',
    url: '/newsletter/editions/:id/schedule',
    access: 'staff',
    action: 'newsletter.compose',
    async handler(ctx) {
      const { request, reply } = ctx;
      const m = request.server.masthead;
      const id = editionId(request);
      const now = str(request.body, 'when') === 'now';
      const settings = await getSettings(m.settings);
      try {
        let at: Date | null = null;
        if (!now) {
          at = editions.fromLocalInput(str(request.body, 'at'), settings.timeZone);
          if (!at)
            throw new ValidationError('EDITIONS_INVALID', 'Give a date and time.', {
              at: 'Give a date and time, like 2026-03-06 09:00',
            });
        }
        const when = await editions.scheduleEdition(m.editions, id, at);
        await recordAudit(
          m.accounts,
          ctx.session?.staff ?? null,
          now ? 'newsletter.send_now' : 'newsletter.scheduled',
          { type: 'edition', id },
          { at: when.toISOString() },
        );
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        // The edition exists (or the render below answers 404).
        return renderComposer(ctx, id, {
          scheduleError: err.fields.at ?? err.fields.items ?? err.message,
          status: 400,
          ...(now ? {} : { atInput: str(request.body, 'at').slice(0, 40) }),
        });
      }
      return reply.redirect(`/newsroom/newsletter/editions/${id}?done=${now ? 'sending' : 'scheduled'}`, 303);
    },
  },
  {
    method: 'POST',
    url: '/newsletter/editions/:id/unschedule',
    access: 'staff',
    action: 'newsletter.compose',
    async handler({ request, reply, session }) {
      const id = editionId(request);
      await editions.unscheduleEdition(request.server.masthead.editions, id);
      await recordAudit(request.server.masthead.accounts, session?.staff ?? null, 'newsletter.unscheduled', {
        type: 'edition',
        id,
      });
      return reply.redirect(`/newsroom/newsletter/editions/${id}?done=unscheduled`, 303);
    },
  },
  {
    method: 'POST',
    url: '/newsletter/editions/:id/discard',
    access: 'staff',
    action: 'newsletter.compose',
    async handler({ request, reply }) {
      try {
        await editions.discardEdition(request.server.masthead.editions, editionId(request));
      } catch (err) {
        if (isAppError(err) && err.code === 'EDITIONS_NOT_FOUND')
          throw new NotFoundError('NEWSROOM_NOT_FOUND', 'There is nothing here.');
        throw err;
      }
      return reply.redirect('/newsroom/newsletter', 303);
    },
  },
];
