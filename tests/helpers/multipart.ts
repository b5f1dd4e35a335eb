import crypto from 'node:crypto';
import type { Browser } from './newsroom.ts';

export interface FilePart {
  name: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A multipart/form-data body written by hand, as a browser would send it (fields first, in order). */
export function multipartBody(
  fields: Record<string, string>,
  files: FilePart[] = [],
): { payload: Buffer; contentType: string } {
  const boundary = `----MastheadTest${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.contentType}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Posts a multipart form with the browser's cookies; the CSRF token goes in as the first
 * field, as the newsroom's forms place it, unless `csrf` is null.
 */
export async function postMultipart(
  b: Browser,
  url: string,
  fields: Record<string, string>,
  files: FilePart[],
  opts: { csrf?: string | null; origin?: string | null } = {},
) {
  const token = opts.csrf === undefined ? b.csrf : opts.csrf;
  const { payload, contentType } = multipartBody(token === null ? fields : { _csrf: token, ...fields }, files);
  const headers: Record<string, string> = {
    cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    'content-type': contentType,
  };
  const origin = opts.origin === undefined ? 'http://localhost:80' : opts.origin;
  if (origin !== null) headers.origin = origin;
  return b.app.inject({ method: 'POST', url, remoteAddress: b.ip, headers, payload });
}
