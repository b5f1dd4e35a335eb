import type { OutgoingHttpHeader } from 'node:http';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

type Header = [name: string, value: OutgoingHttpHeader];

/** Route options for public pages: helmet's own hook skipped, its headers set by ours. */
export interface PublicRouteOptions {
  helmet: false;
  onRequest: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;
}

/**
 * Helmet's security headers for public routes, worked out once instead of per request.
 *
 * @fastify/helmet builds a whole helmet middleware for every request it serves: for a page
 * answered from the page cache that was more than half of the CPU time and of the garbage
 * (docs/decisions/008-performance.md). Public routes therefore opt out (`helmet: false`) and
 * this hook sets the very same headers, in the same order: the first request applies the
 * app's global helmet configuration through `reply.helmet()` and records what it set; every
 * later request replays the record. That is sound because the global configuration is
 * static (fixed directives, no per-request nonces). If helmet is not registered, nothing is
 * set, as before.
 */
export function publicRouteOptions(): PublicRouteOptions {
  let recorded: Header[] | null = null;
  return {
    helmet: false,
    onRequest(_request, reply, done) {
      const res = reply.raw;
      if (recorded) {
        for (const [name, value] of recorded) res.setHeader(name, value);
        done();
        return;
      }
      if (typeof reply.helmet !== 'function') {
        done();
        return;
      }
      const before = new Set(res.getHeaderNames());
      reply.helmet();
      // Names as helmet spelled them (Node keeps the case it was given), in setting order.
      const names = (res as typeof res & { getRawHeaderNames(): string[] }).getRawHeaderNames();
      const headers: Header[] = [];
      for (const name of names) {
        const value = res.getHeader(name);
        if (!before.has(name.toLowerCase()) && value !== undefined) headers.push([name, value]);
      }
      recorded = headers;
      done();
    },
  };
}
