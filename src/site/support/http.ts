import type { FastifyReply, FastifyRequest } from 'fastify';

export type Body = Record<string, unknown> | undefined;

export function field(body: unknown, name: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

/**
 * Pages behind a token, a session or a form result: never cached. The site's Referrer-Policy
 * (same-origin) already keeps tokens in URLs from other sites; `no-referrer` would make the
 * browser send `Origin: null` with the page's own forms, which the CSRF check refuses.
 */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
}

/** Sets a first-party cookie; Secure whenever the site is served over HTTPS. */
export function setCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  opts: { maxAgeSeconds: number; path?: string; sameSite?: 'Lax' | 'Strict' },
): void {
  const parts = [
    `${name}=${value}`,
    `Path=${opts.path ?? '/'}`,
    `Max-Age=${opts.maxAgeSeconds}`,
    'HttpOnly',
    `SameSite=${opts.sameSite ?? 'Lax'}`,
  ];
  if (request.protocol === 'https') parts.push('Secure');
  const prev = reply.getHeader('set-cookie');
  const list = Array.isArray(prev) ? prev : typeof prev === 'string' ? [prev] : [];
  reply.header('set-cookie', [...list, parts.join('; ')]);
}

export function readCookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
