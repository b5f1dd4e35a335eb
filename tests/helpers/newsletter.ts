import type { FastifyInstance } from 'fastify';
import { getOutboxMessage, listOutbox, type OutboxMessage } from '#mail';

export const ORIGIN = 'http://localhost:80';

/** A JavaScript-free browser posting the signup form from `source` (a path on our site). */
export function postSignup(
  app: FastifyInstance,
  form: Record<string, string>,
  opts: { ip?: string; origin?: string | null; referer?: string | null } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const origin = opts.origin === undefined ? ORIGIN : opts.origin;
  if (origin !== null) headers.origin = origin;
  if (opts.referer) headers.referer = `${ORIGIN}${opts.referer}`;
  return app.inject({
    method: 'POST',
    url: '/newsletter/subscribe',
    remoteAddress: opts.ip ?? '198.51.100.1',
    headers,
    payload: new URLSearchParams({ website: '', ...form }).toString(),
  });
}

export function postForm(app: FastifyInstance, url: string, form: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    payload: new URLSearchParams(form).toString(),
  });
}

export async function until<T>(get: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  const end = Date.now() + 15_000;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits for the worker to put `count` messages to `to` in the outbox; returns the newest. */
export async function mailTo(app: FastifyInstance, to: string, count = 1): Promise<OutboxMessage> {
  const page = await until(async () => {
    const p = await listOutbox(app.masthead.mail, { page: 1, perPage: 50, to });
    return p.items.length >= count ? p : null;
  }, `mail to ${to}`);
  const newest = page.items.reduce((a, b) => (b.id > a.id ? b : a));
  return getOutboxMessage(app.masthead.mail, newest.id);
}

export function confirmLink(m: OutboxMessage): string {
  const match = /https?:\/\/[^/\s]+(\/newsletter\/confirm\/[A-Za-z0-9_-]{43})\b/.exec(m.text);
  if (!match?.[1]) throw new Error(`no confirmation link in ${m.text}`);
  return match[1];
}
