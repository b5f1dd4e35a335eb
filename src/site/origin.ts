import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '#lib/errors.ts';

/**
 * CSRF for public forms on cached pages (newsletter signup and self-service, support asks
 * and checkout): a per-visitor token is impossible in bytes shared by everyone. What is
 * left to stop is another site posting forms in a reader's name: browsers send Origin (and
 * Sec-Fetch-Site) with every cross-site POST, so we refuse any that is not ours. A request
 * with neither header is not from a browser form and carries nothing a script could not
 * send anyway; double opt-in, provider checks and rate limits bound what it can do.
 * `code` names the feature in the 403, so logs say which form was refused.
 */
export function sameOriginGuard(code: string): (request: FastifyRequest) => void {
  const foreign = () => new ForbiddenError(code, 'This form can only be sent from our own pages.');
  return (request) => {
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
  };
}

/** Our host as the browser spells it in Origin (`new URL` drops a default port). */
export function ownHost(request: FastifyRequest): string {
  try {
    return new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    return '';
  }
}
