import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, ValidationError, type AppError } from '#lib/errors.ts';
import { html } from '#lib/html.ts';
import { newsroomLayout } from './layout.ts';

const TITLES: Record<number, string> = {
  400: 'Please check what you entered',
  401: 'Please sign in again',
  403: 'Not allowed',
  404: 'Not found',
  409: 'That clashes with something that exists',
  410: 'Gone',
  413: 'Too large',
  415: 'Unsupported file type',
  429: 'Too many attempts',
};

/** Errors on staff pages, shown in the newsroom's own frame; 5xx detail stays in the log. */
export async function newsroomErrorHandler(
  err: FastifyError | AppError,
  request: FastifyRequest,
  reply: FastifyReply,
  publication: () => Promise<string>,
): Promise<FastifyReply> {
  const status = isAppError(err)
    ? err.status
    : typeof err.statusCode === 'number' && err.statusCode >= 400
      ? err.statusCode
      : 500;
  if (status >= 500) request.log.error({ err, method: request.method, url: request.url }, 'newsroom request failed');
  const title = status >= 500 ? 'Something went wrong' : (TITLES[status] ?? 'Request not accepted');
  const message =
    status >= 500
      ? 'The newsroom could not finish this. Nothing was half-saved; please try again, and tell your administrator if it keeps happening.'
      : err.message;
  const fields = err instanceof ValidationError ? Object.values(err.fields) : [];
  let name = 'Masthead';
  try {
    name = await publication();
  } catch {
    // the database may be what failed
  }
  reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8');
  if (request.method === 'HEAD') return reply.send();
  return reply.send(
    newsroomLayout({
      title,
      publication: name,
      main: html`<h1>${title}</h1><p role="alert">${message}</p>${fields.length ? html`<ul>${fields.map((f) => html`<li>${f}</li>`)}</ul>` : ''}
<p>${status === 401 ? html`<a href="/newsroom/sign-in">Sign in</a>` : html`<a href="/newsroom">Back to the newsroom</a>`}</p>`,
    }),
  );
}
