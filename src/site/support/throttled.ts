import type { FastifyReply } from 'fastify';
import * as support from '#support';
import type { SiteRuntime } from '../runtime.ts';
import { noStore } from './http.ts';
import * as pages from './pages.ts';

/** Sends a 429 page with Retry-After for a throttled request, or rethrows. */
export async function sendThrottled(
  site: SiteRuntime,
  reply: FastifyReply,
  err: unknown,
  testMode: boolean,
): Promise<FastifyReply> {
  if (!(err instanceof support.ThrottledError)) throw err;
  return noStore(reply)
    .code(429)
    .header('retry-after', String(err.retryAfterSeconds))
    .send(pages.throttledPage(await site.context(), err.message, testMode));
}
