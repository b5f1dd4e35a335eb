import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { makePage, type CachedPage } from './page-cache.ts';
import { sendPage } from './runtime.ts';

const PUBLIC_DIR = new URL('../../public/', import.meta.url);
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface Asset {
  href: string;
  page: CachedPage;
}

function load(name: string, contentType: string, fingerprint: boolean): Asset {
  const body = fs.readFileSync(new URL(name, PUBLIC_DIR));
  const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 12);
  const dot = name.lastIndexOf('.');
  const href = fingerprint ? `/assets/${name.slice(0, dot)}.${hash}${name.slice(dot)}` : `/${name}`;
  const page = makePage(body, {
    contentType,
    lastModified: new Date(0),
    cacheControl: fingerprint ? IMMUTABLE : 'public, max-age=86400',
  });
  return { href, page };
}

/**
 * Our own static files, read once at boot and served from memory. The stylesheet's name
 * carries a hash of its content, so browsers and CDNs may keep it forever.
 */
export function registerAssets(app: FastifyInstance): { cssHref: string } {
  const css = load('site.css', 'text/css; charset=utf-8', true);
  const favicon = load('favicon.svg', 'image/svg+xml', false);
  // Served gzipped whatever its size (compressed on first request, then kept).
  css.page.gzippable = true;
  app.get(css.href, (request, reply) => sendPage(request, reply, css.page));
  app.get('/favicon.svg', (request, reply) => sendPage(request, reply, favicon.page));
  app.get('/favicon.ico', (_request, reply) => reply.redirect('/favicon.svg', 301));
  return { cssHref: css.href };
}
