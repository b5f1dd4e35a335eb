import * as articles from '#articles';
import { recordAudit } from '#accounts';
import { isAppError, ValidationError } from '#lib/errors.ts';
import type { RouteContext, RouteSpec } from './framework.ts';
import { libraryPage, mediaEditPage } from './media-pages.ts';
import { UPLOAD_FIELD } from './media-upload.ts';
import { parsePage, requireIdParam, str } from '#http';

type Body = Record<string, unknown>;
const details = (b: unknown): articles.MediaDetails => ({
  alt: str(b, 'alt'),
  caption: str(b, 'caption'),
  credit: str(b, 'credit'),
});

/** The file readMultipartForm attached, or an empty one (no file chosen, or not a multipart form). */
function uploadFrom(b: unknown): articles.MediaUpload {
  const v = (b as Body | undefined)?.[UPLOAD_FIELD] as Partial<articles.MediaUpload> | undefined;
  if (v && Buffer.isBuffer(v.data))
    return {
      data: v.data,
      truncated: v.truncated === true,
      filename: typeof v.filename === 'string' ? v.filename : '',
    };
  return { data: Buffer.alloc(0), truncated: false, filename: '' };
}

// Everyone may upload and browse; the words of an image (alt text, caption, credit) are
// edited by whoever uploaded it, or by editors and above ('media.edit' on the 'media' object).
function mediaId(ctx: RouteContext): number {
  return requireIdParam(ctx.request);
}

const PER_PAGE = 24;

async function showLibrary(
  ctx: RouteContext,
  pageNo: number,
  extra: { status?: number; message?: string; errors?: Record<string, string>; values?: articles.MediaDetails } = {},
) {
  const result = await articles.listMedia(ctx.request.server.masthead.articles, { page: pageNo, perPage: PER_PAGE });
  const { status, ...opts } = extra;
  return ctx.page('Media library', libraryPage(result, { csrf: ctx.csrf(), ...opts }), { status: status ?? 200 });
}

export const mediaRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/media',
    access: 'staff',
    action: 'media.upload',
    async handler(ctx) {
      return showLibrary(ctx, parsePage((ctx.request.query as Record<string, unknown> | undefined)?.page));
    },
  },
  {
    method: 'POST',
    url: '/media',
    access: 'staff',
    action: 'media.upload',
    async handler(ctx) {
      const { request, reply, session } = ctx;
      const m = request.server.masthead;
      const words = details(request.body);
      try {
        const id = await articles.uploadMedia(m.articles, uploadFrom(request.body), words, session?.staff.id ?? null);
        await recordAudit(m.accounts, session?.staff ?? null, 'media.uploaded', { type: 'media', id });
        return reply.redirect(`/newsroom/media/${id}`, 303);
      } catch (err) {
        // A refused file (400, 413, 415) shows the form again with the reason; nothing was stored.
        if (isAppError(err) && err.status >= 400 && err.status < 500) {
          return showLibrary(ctx, 1, {
            status: err.status,
            message: err.message,
            values: words,
            ...(err instanceof ValidationError ? { errors: err.fields } : {}),
          });
        }
        throw err;
      }
    },
  },
  {
    method: 'GET',
    url: '/media/:id',
    access: 'staff',
    action: 'media.edit',
    object: 'media',
    async handler(ctx) {
      const item = await articles.getMedia(ctx.request.server.masthead.articles, mediaId(ctx));
      const saved = str(ctx.request.query, 'saved') === '1';
      return ctx.page(`Image ${item.id}`, mediaEditPage(item, { csrf: ctx.csrf() }), {
        flash: saved ? 'Saved.' : null,
      });
    },
  },
  {
    method: 'POST',
    url: '/media/:id',
    access: 'staff',
    action: 'media.edit',
    object: 'media',
    async handler(ctx) {
      const { request, reply, session } = ctx;
      const m = request.server.masthead;
      const id = mediaId(ctx);
      const words = details(request.body);
      try {
        await articles.updateMediaDetails(m.articles, id, words);
      } catch (err) {
        if (err instanceof ValidationError) {
          const item = await articles.getMedia(m.articles, id);
          return ctx.page(
            `Image ${id}`,
            mediaEditPage(item, {
              csrf: ctx.csrf(),
              values: words,
              errors: err.fields,
              message: 'Please correct the marked fields.',
            }),
            { status: 400 },
          );
        }
        throw err;
      }
      await recordAudit(m.accounts, session?.staff ?? null, 'media.updated', { type: 'media', id });
      return reply.redirect(`/newsroom/media/${id}?saved=1`, 303);
    },
  },
];
