import crypto from 'node:crypto';
import zlib from 'node:zlib';

export interface CachedPage {
  status: number;
  contentType: string;
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
  lastModified: string; // HTTP date
  cacheControl: string;
}

/**
 * Rendered public pages, per process, in least-recently-used order. Emptied whenever the
 * public content changes (locally or, on PostgreSQL, in another process), so a page is
 * never served staler than the content it was rendered from.
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  readonly maxEntries: number;
  generation = 0;

  constructor(maxEntries: number) {
    this.maxEntries = maxEntries;
  }

  get(key: string): CachedPage | undefined {
    const hit = this.entries.get(key);
    if (hit && this.entries.size > 64) {
      // Refresh recency only when eviction can matter; keeps the hot path cheap.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, page: CachedPage, generation: number): void {
    if (this.maxEntries === 0 || generation !== this.generation) return; // rendered from older content
    this.entries.set(key, page);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

const GZIP_MIN_BYTES = 1024;

/** Builds the cacheable form of a rendered response: validators and a gzip copy. */
export function makePage(body: string | Buffer, opts: { status?: number; contentType: string; lastModified: Date; cacheControl: string }): CachedPage {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  const etag = `"${crypto.createHash('sha1').update(buf).digest('base64url').slice(0, 22)}"`;
  return {
    status: opts.status ?? 200,
    contentType: opts.contentType,
    body: buf,
    gzip: buf.length >= GZIP_MIN_BYTES ? zlib.gzipSync(buf, { level: 6 }) : null,
    etag,
    lastModified: opts.lastModified.toUTCString(),
    cacheControl: opts.cacheControl,
  };
}
