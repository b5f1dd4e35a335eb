import type {} from '@fastify/cookie';
import type {} from '@fastify/csrf-protection';
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  can,
  resolveSession,
  mustEnrolSecondFactor,
  type AccountsDeps,
  type Action,
  type StaffSession,
} from '#accounts';
import { AppError, ForbiddenError, NotFoundError } from '#lib/errors.ts';
import { requireIdParam } from '#http';
import type { SafeHtml } from '#lib/html.ts';
import { newsroomLayout, type NewsroomScript } from './layout.ts';

/**
 * Who may reach a route: `public` needs no session (setup, sign-in); `first-factor` needs a
 * password-checked session whose second factor may still be pending; `staff` needs a
 * complete sign-in, with 2FA enrolled where the role requires it.
 */
export type Access = 'public' | 'first-factor' | 'staff';
export type ObjectKind = 'article' | 'staff' | 'media';

export interface RouteContext {
  request: FastifyRequest;
  reply: FastifyReply;
  session: StaffSession | null;
  /** The :id of the route's object, already checked to exist. */
  objectId: number | null;
  /** The route's :rev (a revision id): digits only, else the route answers 404. Its owner is not checked: that is the handler's job. */
  rev: number | null;
  /** Whether the object is the signed-in person's own. */
  objectOwnership: 'own' | 'other' | 'none';
  csrf(): string;
  page(
    title: string,
    main: SafeHtml,
    opts?: { status?: number; flash?: string | null; scripts?: readonly NewsroomScript[] },
  ): FastifyReply;
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
  reply.setCookie(sessionCookieName(request), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName(request), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
  });
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

/** A numeric path parameter (:id, :rev): null when the route has none, 404 unless it is a plain positive integer. */
function idParam(request: FastifyRequest, name: 'id' | 'rev' = 'id'): number | null {
  if ((request.params as Record<string, unknown> | undefined)?.[name] === undefined) return null;
  return requireIdParam(request, name);
}

/** Registers a route table: authentication, CSRF, origin and permission checks for every entry. */
export function registerRoutes(app: FastifyInstance, deps: FrameworkDeps, routes: readonly RouteSpec[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      ...(route.method === 'POST' ? { preHandler: app.csrfProtection } : {}),
      handler: async (request, reply) => {
        if (route.method === 'POST' && !sameOrigin(request))
          throw new ForbiddenError('NEWSROOM_CROSS_SITE', 'This form was sent from another site.');
        const token = request.cookies[sessionCookieName(request)];
        const session = await resolveSession(deps.accounts, token);
        // One token per response: each call may otherwise mint a new secret cookie.
        let csrfToken: string | null = null;
        const csrf = () => (csrfToken ??= reply.generateCsrf());
        const publication = await deps.publicationName();
        const page: RouteContext['page'] = (title, main, opts = {}) => {
          // A nonce only where a script is wanted: every other page keeps script-src 'none'.
          const scripts = opts.scripts ?? [];
          const nonce = scripts.length > 0 ? { nonce: cspNonce(request), scripts } : {};
          return reply
            .code(opts.status ?? 200)
            .type('text/html; charset=utf-8')
            .send(
              newsroomLayout({ title, main, session, csrf: csrf(), publication, flash: opts.flash ?? null, ...nonce }),
            );
        };

        if (route.access !== 'public') {
          if (!session) {
            if (route.method === 'GET')
              return reply.redirect(`/newsroom/sign-in?next=${encodeURIComponent(request.url)}`, 303);
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
          if (!can(session.staff.role, route.action, ownership))
            throw new ForbiddenError('NEWSROOM_FORBIDDEN', 'Your role does not allow this.');
        }
        // After the permission check, so someone refused learns nothing from a 404.
        const rev = idParam(request, 'rev');
        return route.handler({ request, reply, session, objectId, rev, objectOwnership: ownership, csrf, page });
      },
    });
  }
}

const nonces = new WeakMap<FastifyRequest, string>();

/**
 * The request's CSP nonce, made on first use. Pages put it on their <script> tags and the
 * newsroom's onSend hook puts it in the header; a response that never asked for one (a page
 * without scripts, a redirect, JSON, an error page) is sent with `script-src 'none'`.
 */
export function cspNonce(request: FastifyRequest): string {
  let nonce = nonces.get(request);
  if (nonce === undefined) {
    nonce = crypto.randomBytes(16).toString('base64');
    nonces.set(request, nonce);
  }
  return nonce;
}

/** The nonce issued to this request, if any. */
export function issuedNonce(request: FastifyRequest): string | undefined {
  return nonces.get(request);
}
