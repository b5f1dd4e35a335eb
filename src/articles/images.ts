import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Metadata } from 'sharp';
import { AppError, ValidationError } from '#lib/errors.ts';

export interface MediaVariant {
  width: number;
  height: number;
  format: 'webp' | 'jpeg';
  /** Path under the media directory, also the URL path under /media/. */
  file: string;
  bytes: number;
}

export interface ProcessedImage {
  storageKey: string;
  width: number;
  height: number;
  bytes: number;
  variants: MediaVariant[];
}

/** Widths offered to browsers through srcset; never upscaled past the original. */
export const VARIANT_WIDTHS = [480, 960, 1600] as const;
// Refuse decompression bombs before decoding: 40 megapixels is far beyond any news photo.
const MAX_INPUT_PIXELS = 40_000_000;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);

/**
 * Decodes an uploaded image, checks what it really is, and writes re-encoded variants
 * (WebP and JPEG per width) with all metadata, GPS included, stripped. Files appear under
 * their final name only when every variant was written.
 */
export async function processImage(mediaDir: string, input: Buffer, now: Date): Promise<ProcessedImage> {
  // Loaded on first use: a process that only serves readers never pays for libvips.
  const { default: sharp } = await import('sharp');
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch (cause) {
    if (cause instanceof Error && /pixel limit/i.test(cause.message)) {
      throw new AppError(413, 'MEDIA_TOO_MANY_PIXELS', 'The image is too large; the limit is 40 megapixels.', {
        cause,
      });
    }
    throw new AppError(
      415,
      'MEDIA_UNSUPPORTED_TYPE',
      'This file is not an image we can read (JPEG, PNG, WebP, GIF or AVIF).',
      { cause },
    );
  }
  if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) {
    throw new AppError(415, 'MEDIA_UNSUPPORTED_TYPE', 'Only JPEG, PNG, WebP, GIF and AVIF images are accepted.');
  }
  const w0 = meta.autoOrient?.width ?? meta.width;
  const h0 = meta.autoOrient?.height ?? meta.height;
  if (!w0 || !h0) throw new ValidationError('MEDIA_NO_SIZE', 'The image has no size.');
  if (w0 * h0 > MAX_INPUT_PIXELS) {
    throw new AppError(
      413,
      'MEDIA_TOO_MANY_PIXELS',
      `The image is too large (${w0}×${h0}); the limit is 40 megapixels.`,
    );
  }

  const month = now.toISOString().slice(0, 7).replace('-', '/');
  const storageKey = `${month}/${crypto.randomBytes(8).toString('hex')}`;
  const finalDir = path.join(mediaDir, storageKey);
  const tmpDir = `${finalDir}.tmp`;
  await fs.mkdir(tmpDir, { recursive: true });
  try {
    const widths: number[] = VARIANT_WIDTHS.filter((w) => w < w0);
    if (widths.length < VARIANT_WIDTHS.length)
      widths.push(Math.min(w0, VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1] ?? w0));
    const variants: MediaVariant[] = [];
    for (const width of [...new Set(widths)]) {
      const height = Math.round((h0 * width) / w0);
      for (const format of ['webp', 'jpeg'] as const) {
        const pipeline = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
          .rotate()
          .resize(width, height, { fit: 'fill' });
        const out =
          format === 'webp'
            ? pipeline.webp({ quality: 78 })
            : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: true });
        const buf = await out.toBuffer(); // sharp writes no metadata unless asked to
        const name = `w${width}.${format === 'jpeg' ? 'jpg' : 'webp'}`;
        await fs.writeFile(path.join(tmpDir, name), buf);
        variants.push({ width, height, format, file: `${storageKey}/${name}`, bytes: buf.length });
      }
    }
    await fs.rename(tmpDir, finalDir);
    return { storageKey, width: w0, height: h0, bytes: input.length, variants };
  } catch (err) {
    await fs.rm(tmpDir, { recursive: true, force: true });
    throw err;
  }
}

/** Removes a stored image's files (used when its database row could not be written). */
export async function removeImageFiles(mediaDir: string, storageKey: string): Promise<void> {
  await fs.rm(path.join(mediaDir, storageKey), { recursive: true, force: true });
}
