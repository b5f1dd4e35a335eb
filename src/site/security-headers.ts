import http, { type OutgoingHttpHeader } from 'node:http';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

export type SecurityHeader = readonly [name: string, value: OutgoingHttpHeader];

/**
 * The headers helmet sets for `options`, worked out once: its middleware runs against a
 * real but unsent response and we read back what it set, in the order it set them (names
 * in lower case, as HTTP/2 requires anyway). Sound because our configuration is static
 * (fixed directives, no per-request nonces), so every response would get the very same
 * headers.
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): SecurityHeader[] {
  const req = new http.IncomingMessage(new net.Socket());
  const res = new http.ServerResponse(req);
  helmet(options)(req, res, (err?: unknown) => {
    if (err) throw err;
  });
  const headers: SecurityHeader[] = [];
  for (const name of res.getHeaderNames()) {
    const value = res.getHeader(name);
    if (value !== undefined) headers.push([name, value]);
  }
  return headers;
}

/** Copies the recorded headers onto a response. */
export function setSecurityHeaders(res: http.ServerResponse, headers: readonly SecurityHeader[]): void {
  for (const [name, value] of headers) res.setHeader(name, value);
}

/**
 * Sets the recorded headers on every response of `app` (pages, feeds, media, the newsroom,
 * 404 and error pages) with one hook that only copies a fixed list. Requests Fastify refuses
 * before routing (a malformed address) skip hooks: their handler calls
 * `setSecurityHeaders` itself.
 *
 * Why not @fastify/helmet: it runs an async hook on every request that builds a fresh
 * configuration object and a `reply.helmet` closure, even on routes that opt out. Under
 * 100 connections that garbage went straight to V8's old generation (about 400 bytes a
 * request) and took peak RSS from about 165 to 230–260 MB (docs/decisions/008-performance.md,
 * addendum 3).
 */
export function registerSecurityHeaders(app: FastifyInstance, headers: readonly SecurityHeader[]): void {
  app.addHook('onRequest', (_request, reply, done) => {
    setSecurityHeaders(reply.raw, headers);
    done();
  });
}
