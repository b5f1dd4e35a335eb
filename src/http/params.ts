import type { FastifyRequest } from 'fastify';
import { NotFoundError, ValidationError } from '#lib/errors.ts';

/** The highest `?page=` any listing accepts; deeper pages are a search's job. */
export const PAGE_MAX = 9999;

// A plain positive integer as a row id: no sign, no leading zero, no exponent, and short
// enough to stay an exact JavaScript number and fit a PostgreSQL integer.
const ID = /^[1-9][0-9]{0,8}$/;
const PAGE = /^[1-9][0-9]{0,3}$/;

/** A path or form id (`:id`, `:rev`, a hidden field) as a number; null for anything else. */
export function parseId(raw: unknown): number | null {
  return typeof raw === 'string' && ID.test(raw) ? Number(raw) : null;
}

/** `?page=N`: absent means 1; anything but a whole number from 1 to PAGE_MAX is a 400. */
export function parsePage(raw: unknown): number {
  if (raw === undefined) return 1;
  if (typeof raw === 'string' && PAGE.test(raw)) return Number(raw);
  throw new ValidationError('HTTP_BAD_PAGE', `The page number must be a whole number between 1 and ${PAGE_MAX}.`);
}

/** A numeric path parameter (`:id`, `:rev`); a 404 when it is missing or not a plain id. */
export function requireIdParam(request: FastifyRequest, name = 'id'): number {
  const id = parseId((request.params as Record<string, unknown> | undefined)?.[name]);
  if (id === null) throw new NotFoundError('HTTP_NOT_FOUND', 'There is nothing here.');
  return id;
}
