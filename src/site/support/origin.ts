import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '#lib/errors.ts';

/**
 * CSRF for support forms on cached pages (the same rule as the newsletter's, see
 * src/newsletter/CONTEXT.md): a per-visitor token is impossible in bytes shared by everyone,
 * so any cross-site or foreign-Origin POST is refused. The manage pages also ride on a
 * SameSite=Strict cookie, which other sites' forms never carry.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') throw foreign();
  const source = request.headers.origin ?? request.headers.referer;
  if (!source) return;
  if (source === 'null') throw foreign();
  let host: string;
  try {
    host = new URL(source).host;
  } catch {
    throw foreign();
  }
  if (host !== ownHost(request)) throw foreign();
}

function ownHost(request: FastifyRequest): string {
  try {
    return new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    return '';
  }
}

const foreign = () => new ForbiddenError('SUPPORT_FOREIGN_ORIGIN', 'This form can only be sent from our own pages.');
