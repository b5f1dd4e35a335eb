import path from 'node:path';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { fromDbJson, toDbTime, type MediaTable } from '#db';
import { AppError, NotFoundError, ValidationError } from '#lib/errors.ts';
import type { MediaVariant } from './images.ts';
import * as q from './queries.ts';
import { uploadImage, type ArticlesDeps } from './service.ts';
import type { Page } from './types.ts';

/** The largest file accepted, checked before decoding; the 40-megapixel limit applies after. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** One image in the media library, with the words shown wherever it is used. */
export interface MediaItem {
  id: number;
  originalName: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  variants: MediaVariant[];
  createdAt: string;
}

/** A file as it arrived: `truncated` when the transport stopped reading at the size cap. */
export interface MediaUpload {
  data: Buffer;
  truncated: boolean;
  filename: string;
}

export interface MediaDetails {
  alt: string;
  caption: string;
  credit: string;
}

const text = (max: number) => z.string().trim().max(max, `At most ${max} characters`);
// The same limits as an article's lead image, so library words always fit an article.
const mediaDetails = z.object({ alt: text(500), caption: text(1000), credit: text(300) });

function validDetails(input: MediaDetails): MediaDetails {
  const parsed = mediaDetails.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const i of parsed.error.issues) fields[i.path.join('.') || 'media'] ??= i.message;
  throw new ValidationError('MEDIA_INVALID', 'The image details have errors.', fields);
}

/**
 * What the first bytes say a file is. Only raster formats we re-encode pass, so no decoder
 * ever sees SVG (scripts, external references), PDF or anything else sharp could open.
 */
export function sniffImage(data: Buffer): 'raster' | 'markup' | null {
  const ascii = (start: number, s: string) => data.subarray(start, start + s.length).toString('latin1') === s;
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'raster'; // JPEG
  if (ascii(0, '\x89PNG\r\n\x1a\n')) return 'raster';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'raster';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'raster';
  if (ascii(4, 'ftyp')) return 'raster'; // AVIF/HEIF; sharp refuses other ISO media (video)
  if (ascii(0, 'II*\0') || ascii(0, 'MM\0*')) return 'raster'; // TIFF
  // SVG, HTML, XML: text opening with "<" after an optional BOM and whitespace.
  if (/^(?:\ufeff)?\s*</.test(data.subarray(0, 512).toString('utf8'))) return 'markup';
  return null;
}

function toItem(m: Selectable<MediaTable>): MediaItem {
  return {
    id: m.id,
    originalName: m.original_name,
    width: m.width,
    height: m.height,
    bytes: m.bytes,
    alt: m.alt,
    caption: m.caption,
    credit: m.credit,
    variants: fromDbJson<MediaVariant[]>(m.variants, []),
    createdAt: m.created_at,
  };
}

/**
 * Stores an uploaded file as a library image: size, then content, then pixels are checked
 * before anything is written; a refusal leaves no file and no row. Returns the media id.
 */
export async function uploadMedia(
  deps: ArticlesDeps,
  upload: MediaUpload,
  details: MediaDetails,
  uploadedBy: number | null = null,
): Promise<number> {
  const words = validDetails(details);
  if (upload.truncated || upload.data.length > MAX_UPLOAD_BYTES) {
    throw new AppError(
      413,
      'MEDIA_TOO_LARGE',
      `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Please upload a smaller image.`,
    );
  }
  if (upload.data.length === 0)
    throw new ValidationError('MEDIA_NO_FILE', 'Choose an image to upload.', { file: 'Choose an image file' });
  const kind = sniffImage(upload.data);
  if (kind === 'markup') {
    throw new AppError(
      415,
      'MEDIA_SVG_REFUSED',
      'SVG and other markup files are not accepted, as they can carry scripts. Please upload a JPEG, PNG, WebP, GIF or AVIF image.',
    );
  }
  if (kind === null)
    throw new AppError(
      415,
      'MEDIA_UNSUPPORTED_TYPE',
      'This file is not an image we can read. Please upload a JPEG, PNG, WebP, GIF or AVIF image.',
    );
  // Browsers send a bare name, but some clients send a full path; keep only the name.
  const originalName = path.win32.basename(upload.filename).replace(/[\p{Cc}\p{Cf}]/gu, '');
  return uploadImage(deps, upload.data, { originalName, ...words, uploadedBy });
}

/** The media library, newest first. */
export async function listMedia(deps: ArticlesDeps, opts: { page: number; perPage: number }): Promise<Page<MediaItem>> {
  if (!Number.isInteger(opts.page) || opts.page < 1 || opts.page > 10_000)
    throw new ValidationError('MEDIA_BAD_PAGE', 'Page must be a whole number from 1.');
  const k = deps.db.kysely;
  const [rows, count] = await Promise.all([
    k
      .selectFrom('media')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(opts.perPage)
      .offset((opts.page - 1) * opts.perPage)
      .execute(),
    k
      .selectFrom('media')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const total = Number(count.n);
  return { items: rows.map(toItem), total, page: opts.page, pageCount: Math.max(1, Math.ceil(total / opts.perPage)) };
}

/** One library image; throws NotFound. */
export async function getMedia(deps: ArticlesDeps, id: number): Promise<MediaItem> {
  const row = await deps.db.kysely.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('MEDIA_NOT_FOUND', 'No such image.');
  return toItem(row);
}

/** Replaces an image's alt text, caption and credit, which articles show unless they override them. */
export async function updateMediaDetails(deps: ArticlesDeps, id: number, details: MediaDetails): Promise<void> {
  const words = validDetails(details);
  await deps.db.kysely.transaction().execute(async (trx) => {
    const r = await trx.updateTable('media').set(words).where('id', '=', id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new NotFoundError('MEDIA_NOT_FOUND', 'No such image.');
    // Published pages may show these words (lead images without overrides, author photos).
    await q.bumpContentVersion(trx, toDbTime(deps.clock.now()));
  });
  deps.contentChanged();
}
