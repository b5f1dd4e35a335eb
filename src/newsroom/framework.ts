import type {} from '@fastify/cookie';
import type {} from '@fastify/csrf-protection';
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, resolveSession, mustEnrolSecondFactor, type AccountsDeps, type Action, type StaffSession } from '#accounts';
import { AppError, ForbiddenError, NotFoundError } from '#lib/errors.ts';
import type { SafeHtml } from '#lib/html.ts';
import { newsroomLayout } from './layout.ts';

/**
 * Who may reach a route: `public` needs no session (setup, sign-in); `first-factor` needs a
 * password-checked session whose second factor may still be pending; `staff` needs a
 * complete sign-in, with 2FA enrolled where the role requires it.
 */
export type Access = 'public' | 'first-factor' | 'staff';
export type ObjectKind = 'article' | 'staff';

export interface RouteContext {
  request: FastifyRequest;
  reply: FastifyReply;
  session: StaffSession | null;
  /** The :id of the route's object, already checked to exist. */
  objectId: number | null;
  /** Whether the object is the signed-in person's own. */
  objectOwnership: 'own' | 'other' | 'none';
  csrf(): string;
  page(title: string, main: SafeHtml, opts?: { status?: number; flash?: string | null }): FastifyReply;
}

export interface RouteSpec {
  method: 'GET' | 'POST';
  /** Relative to /newsroom. */
  url: string;
  access: Access;
  action?: Action;
  object?: ObjectKind;
  handler(ctx: RouteContext): Promise<unknown>;
}

export interface FrameworkDeps {
  accounts: AccountsDeps;
  publicationName(): Promise<string>;
  /** The id of whoever owns an object, or undefined if there is no such object. */
  ownerOf: Record<ObjectKind, (id: number) => Promise<number | null | undefined>>;
}

export const SESSION_COOKIE = 'masthead_session';
export const SECURE_SESSION_COOKIE = '__Host-masthead_session';

export function sessionCookieName(request: FastifyRequest): string {
  return request.protocol === 'https' ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(sessionCookieName(request), token, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName(request), { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
}

/** Same-origin check for state-changing requests, on top of the CSRF token. */
function sameOrigin(request: FastifyRequest): boolean {
  const source = request.headers.origin ?? request.headers.referer;
  if (!source) return true; // the token still has to match
  if (source === 'null') return false;
  try {
    return new URL(source).host === new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    return false;
  }
}

function idParam(request: FastifyRequest): number | null {
  const raw = (request.params as Record<string, string | undefined>).id;
  if (raw === undefined) return null;
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) throw new NotFoundError('NEWSROOM_NOT_FOUND', 'There is nothing here.');
  return Number(raw);
}

/** Registers a route table: authentication, CSRF, origin and permission checks for every entry. */
export function registerRoutes(app: FastifyInstance, deps: FrameworkDeps, routes: readonly RouteSpec[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      ...(route.method === 'POST' ? { preHandler: app.csrfProtection } : {}),
      handler: async (request, reply) => {
        if (route.method === 'POST' && !sameOrigin(request)) throw new ForbiddenError('NEWSROOM_CROSS_SITE', 'This form was sent from another site.');
        const token = request.cookies[sessionCookieName(request)];
        const session = await resolveSession(deps.accounts, token);
        // One token per response: each call may otherwise mint a new secret cookie.
        let csrfToken: string | null = null;
        const csrf = () => (csrfToken ??= reply.generateCsrf());
        const publication = await deps.publicationName();
        const page: RouteContext['page'] = (title, main, opts = {}) =>
          reply
            .code(opts.status ?? 200)
            .type('text/html; charset=utf-8')
            .send(newsroomLayout({ title, main, session, csrf: csrf(), publication, flash: opts.flash ?? null }));

        if (route.access !== 'public') {
          if (!session) {
            if (route.method === 'GET') return reply.redirect(`/newsroom/sign-in?next=${encodeURIComponent(request.url)}`, 303);
            throw new AppError(401, 'NEWSROOM_SIGNED_OUT', 'Your session has ended. Please sign in again.');
          }
          if (route.access === 'staff') {
            if (!session.secondFactorDone) return reply.redirect('/newsroom/sign-in/code', 303);
            if (mustEnrolSecondFactor(session)) return reply.redirect('/newsroom/account/two-factor', 303);
          }
        }
        let objectId: number | null = null;
        let ownership: 'own' | 'other' | 'none' = 'none';
        if (route.action) {
          if (!session) throw new ForbiddenError('NEWSROOM_FORBIDDEN');
          if (route.object) {
            objectId = idParam(request);
            const owner = objectId === null ? undefined : await deps.ownerOf[route.object](objectId);
            if (owner === undefined) throw new NotFoundError('NEWSROOM_NOT_FOUND', 'There is nothing here.');
            ownership = owner === session.staff.id ? 'own' : 'other';
          }
          if (!can(session.staff.role, route.action, ownership)) throw new ForbiddenError('NEWSROOM_FORBIDDEN', 'Your role does not allow this.');
        }
        return route.handler({ request, reply, session, objectId, objectOwnership: ownership, csrf, page });
      },
    });
  }
}

/** A per-request nonce for the few inline scripts newsroom pages may carry. */
export function newNonce(): string {
  return crypto.randomBytes(16).toString('base64');
}
