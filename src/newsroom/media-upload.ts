import { finished } from 'node:stream/promises';
import type { FastifyMultipartBaseOptions, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { resolveSession } from '#accounts';
import { MAX_UPLOAD_BYTES, type MediaUpload } from '#articles';
import { AppError } from '#lib/errors.ts';
import { sessionCookieName } from './framework.ts';

/** The one newsroom address that takes a file, and the form field that carries it. */
export const UPLOAD_URL = '/newsroom/media';
export const UPLOAD_FIELD = 'file';

/**
 * Options for @fastify/multipart. Files stop at the size cap (`truncated`, which the
 * service turns into a 413 after the CSRF and permission checks have run) rather than
 * failing the parse; text fields get the same 1 MB as a urlencoded form's whole body.
 */
export const MULTIPART_OPTIONS: FastifyMultipartBaseOptions = {
  throwFileSizeLimit: false,
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 50, fieldSize: 1024 * 1024, parts: 51, headerPairs: 20 },
};

function isUploader(request: FastifyRequest, part: MultipartFile): Promise<boolean> | boolean {
  if (request.routeOptions.url !== UPLOAD_URL || part.fieldname !== UPLOAD_FIELD) return false;
  return resolveSession(request.server.masthead.accounts, request.cookies[sessionCookieName(request)]).then(
    (s) => s !== null && s.secondFactorDone,
  );
}

/**
 * A preValidation hook that turns a multipart form into the same plain body a urlencoded
 * form gives (strings, arrays for repeated names), so the CSRF check finds `_csrf` before
 * any handler runs. The upload field becomes a MediaUpload held in memory (at most the
 * size cap); a file sent anywhere else, or by someone not signed in, is read and dropped
 * unbuffered. Broken or over-limit forms become 4xx AppErrors, never a 500.
 */
export async function readMultipartForm(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  const body: Record<string, string | string[] | MediaUpload> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (await isUploader(request, part)) {
          const chunks: Buffer[] = [];
          for await (const chunk of part.file) chunks.push(chunk as Buffer);
          body[part.fieldname] = {
            data: Buffer.concat(chunks),
            truncated: part.file.truncated,
            filename: part.filename,
          } satisfies MediaUpload;
        } else {
          await finished(part.file.resume());
        }
      } else if (typeof part.value === 'string') {
        const prev = body[part.fieldname];
        body[part.fieldname] =
          prev === undefined
            ? part.value
            : Array.isArray(prev)
              ? [...prev, part.value]
              : typeof prev === 'string'
                ? [prev, part.value]
                : prev;
      }
    }
  } catch (cause) {
    const status = (cause as { statusCode?: unknown }).statusCode;
    if (status === 413)
      throw new AppError(
        413,
        'NEWSROOM_FORM_TOO_LARGE',
        `The form is too large: send one image of at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB at a time.`,
        { cause },
      );
    throw new AppError(400, 'NEWSROOM_BAD_FORM', 'The form could not be read. Please try again.', { cause });
  }
  request.body = body;
}
